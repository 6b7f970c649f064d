"""The words the matching model compares: masking of error lines, prose tokens, rules as data."""

from __future__ import annotations

from kbtools.match import words


def test_error_words_mask_variable_parts() -> None:
    one = (
        't=2024-03-04T09:12:44Z lvl=eror msg="failed to fetch" repo=github.com/acme/fw '
        'err="write /data/repos/github.com/acme/fw/.git/objects/pack/tmp_pack_5Zk1: '
        'no space left on device"'
    )
    two = (
        't=2024-05-13T07:02:19Z lvl=eror msg="failed to fetch" repo=github.com/globex/billing '
        'err="write /data/repos/github.com/globex/billing/.git/objects/pack/tmp_pack_Qm81: '
        'no space left on device"'
    )
    assert words.error_words(one) == words.error_words(two)
    assert words.error_words(one) == {"fail", "fetch", "writ", "spac", "left", "devic"}
    json_line = '{"SeverityText":"FATAL","Timestamp":171343,"Body":"dirty database: schema"}'
    assert words.error_words(json_line) == {"dirty", "databas", "schema"}
    ips = "dial tcp 10.0.4.17:5432: connect: connection refused id=8a2f0c9e-1b7d"
    assert words.error_words(ips) == words.error_words(
        "dial tcp 172.16.9.3:6379: connect: connection refused id=77"
    )
    assert words.error_words('Get "https://ghe.acme.internal/api/v3/x": x509: expired') == {
        "get",
        "x509",
        "expir",
    }


def test_short_forms_compare_equal() -> None:
    assert words.tokens("repos on k8s") == words.tokens("repositories on Kubernetes")
    assert words.tokens("upgrade upgraded upgrading") == ["upgrad"] * 3
