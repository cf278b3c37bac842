"""Small fixes to the rendered book that the browser test found.

- sphinx-thebe's inline configuration script is added twice under Jupyter Book 1.0,
  so every page logged "Identifier 'THEBE_JS_URL' has already been declared".
  Identical inline scripts are now emitted once.
- Launch buttons need the repository's URL: while ``repository.url`` is empty in
  ``_config.yml`` they are switched off instead of failing the build.
- The theme's colour mode was empty unless a reader had chosen one, which the theme's
  JavaScript reports as an error ("Got invalid theme mode"). The default is now light.
"""


def _default_mode(app, config):
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context


def _launch_buttons_need_a_repository(app, config):
    """Keep launch buttons (Colab, Binder) off while ``repository.url`` is unset.

    The buttons open a notebook from the public repository; without its URL the theme
    would fail the build, so the buttons are dropped until the URL is set.
    """
    options = dict(config.html_theme_options or {})
    if not options.get("repository_url"):
        buttons = dict(options.get("launch_buttons") or {})
        for key in [k for k in buttons if k.endswith("_url")]:
            buttons[key] = ""
        options["launch_buttons"] = buttons
        config.html_theme_options = options


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        key = (getattr(script, "filename", None) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique  # in place: later handlers and the template see the same list


def setup(app):
    app.connect("config-inited", _default_mode)
    app.connect("config-inited", _launch_buttons_need_a_repository)
    # html-page-context stops at the first handler returning a template, so run first
    app.connect("html-page-context", _dedupe_scripts, priority=1)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
