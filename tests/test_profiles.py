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
