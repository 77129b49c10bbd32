"""Hand-edited YAML: a syntax error is one line naming the file and, where known, the line."""

from __future__ import annotations

import pytest
import yaml

from codebench.domain.yaml_source import load_yaml, yaml_location, yaml_position


class Refused(Exception):
    pass


def _error(text: str) -> yaml.YAMLError:
    with pytest.raises(yaml.YAMLError) as info:
        yaml.safe_load(text)
    return info.value


def test_valid_yaml_is_parsed_safely():
    assert load_yaml("a: 1\nb: [x, y]\n", "f.yaml") == {"a": 1, "b": ["x", "y"]}
    assert load_yaml("", "f.yaml") is None
    with pytest.raises(ValueError, match=r"^f\.yaml:1: not valid YAML$"):
        load_yaml("!!python/object:os.system {}\n", "f.yaml")  # no Python objects from a file


def test_a_syntax_error_names_the_file_and_line():
    text = "participants:\n  V01: {role: veileder}\n  V02: [mentor\n"
    with pytest.raises(Refused) as info:
        load_yaml(text, "participants.yaml", error=Refused)
    assert str(info.value) == "participants.yaml:4: not valid YAML"


def test_the_message_after_the_location_can_be_chosen():
    with pytest.raises(ValueError, match=r"^key\.yaml:2: the key is not valid YAML$"):
        load_yaml("a: 1\nb: : :\n", "key.yaml", message="the key is not valid YAML")


def test_position_is_one_based_line_and_column():
    assert yaml_position(_error("a: 1\n  b: 2\n")) == (2, 4)
    assert yaml_location("x.yaml", _error("a: 1\n  b: 2\n")) == "x.yaml:2"


def test_an_error_without_a_mark_names_only_the_file():
    error = yaml.YAMLError("no position known")
    assert yaml_position(error) is None
    assert yaml_location("x.yaml", error) == "x.yaml"
