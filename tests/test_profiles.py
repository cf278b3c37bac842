import numpy as np
import pytest

from rnn_tutorial.profiles import ENV_VAR, PROFILES, get_profile, resolve_profile


def test_three_profiles_exist():
    assert set(PROFILES) == {"ci", "laptop", "full"}


def test_unknown_profile_is_refused_with_the_valid_names():
    with pytest.raises(ValueError) as err:
        get_profile("gpu-turbo")
    message = str(err.value)
    assert "gpu-turbo" in message
    for name in PROFILES:
        assert name in message


def test_profile_must_be_a_string():
    with pytest.raises(TypeError, match="profile must be a string"):
        get_profile(3)


def test_resolution_order(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "ci")
    assert resolve_profile(None).name == "ci"
    assert resolve_profile("laptop").name == "laptop"  # the parameter wins
    assert resolve_profile(PROFILES["full"]).name == "full"
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setattr("rnn_tutorial.profiles.gpu_visible", lambda: False)
    assert resolve_profile(None).name == "laptop"
    monkeypatch.setattr("rnn_tutorial.profiles.gpu_visible", lambda: True)
    assert resolve_profile(None).name == "full"


def test_bad_environment_variable_is_refused(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "huge")
    with pytest.raises(ValueError, match="valid profiles: ci, laptop, full"):
        resolve_profile(None)


def test_laptop_uses_the_full_split_and_ci_is_small():
    assert PROFILES["laptop"].train_size is None and PROFILES["laptop"].test_size is None
    assert PROFILES["ci"].train_size <= 5000 and PROFILES["ci"].epochs <= 2


# --------------------------------------------------------------------------- a Profile checks its own fields

import dataclasses  # noqa: E402


def test_the_built_in_profiles_construct_and_keep_their_values():
    for name, profile in PROFILES.items():
        assert profile.name == name
        assert dataclasses.replace(profile) == profile          # constructing again passes the checks
    assert dataclasses.replace(PROFILES["ci"], train_size=np.int64(100)).train_size == 100


@pytest.mark.parametrize("changes, error, match", [
    # the name is a folder of build/checkpoints and results: "../../x" used to write outside it
    ({"name": "../../x"}, ValueError, r"name must be a single folder or file name, got '\.\./\.\./x'"),
    ({"name": ".."}, ValueError, r"name must be a single folder or file name, got '\.\.'"),
    ({"name": ""}, ValueError, "name must be a single folder or file name, got ''"),
    ({"name": 3}, TypeError, "name must be a str naming one folder or file, got int 3"),
    ({"train_size": -5}, ValueError, r"train_size must be a positive integer or None, got -5"),
    ({"train_size": 0}, ValueError, r"train_size must be a positive integer or None, got 0"),
    ({"test_size": 2.5}, TypeError, r"test_size must be a positive integer or None, got float 2\.5"),
    ({"lm_train_windows": 0}, ValueError, "lm_train_windows must be a positive integer or None, got 0"),
    ({"pretraining_windows": -1}, ValueError, "pretraining_windows must be a positive integer or None, got -1"),
    ({"epochs": 0}, ValueError, "epochs must be a positive integer, got 0; use 1 or more"),
    ({"epochs": None}, TypeError, "epochs must be a positive integer, got NoneType None"),
    ({"max_len": -1}, ValueError, "max_len must be a positive integer, got -1"),
    ({"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0"),
    ({"batch_size": True}, TypeError, "batch_size must be a positive integer, got bool True"),
    ({"lm_max_len": 0}, ValueError, "lm_max_len must be a positive integer"),
    ({"lm_epochs": 0}, ValueError, "lm_epochs must be a positive integer"),
    ({"scratch_epochs": 0}, ValueError, "scratch_epochs must be a positive integer"),
    ({"gan_steps": -3}, ValueError, "gan_steps must be a positive integer"),
    ({"gan_eval_every": 0}, ValueError, "gan_eval_every must be a positive integer"),
    ({"variant_epochs": 0}, ValueError, "variant_epochs must be a positive integer"),
    ({"pretraining_passes": 0}, ValueError, "pretraining_passes must be a positive integer"),
    ({"jax_pad_multiple": 0}, ValueError, "jax_pad_multiple must be a positive integer"),
    ({"val_fraction": 0.0}, ValueError, r"val_fraction must be a finite number in \(0, 1\), got 0\.0"),
    ({"val_fraction": 1}, ValueError, r"val_fraction must be a finite number in \(0, 1\), got 1"),
    ({"val_fraction": 3.0}, ValueError, r"val_fraction must be a finite number in \(0, 1\), got 3\.0"),
    ({"val_fraction": float("nan")}, ValueError, r"val_fraction must be a finite number in \(0, 1\), got nan"),
    ({"val_fraction": "0.2"}, TypeError, r"val_fraction .* got str '0\.2'"),
    ({"description": None}, TypeError, "description must be a str, got NoneType None"),
])
def test_a_profile_refuses_unsafe_names_and_out_of_range_settings(changes, error, match):
    with pytest.raises(error, match=match):
        dataclasses.replace(PROFILES["ci"], **changes)
