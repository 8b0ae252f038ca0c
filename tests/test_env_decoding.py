"""LIFERAY_* variables decode exactly as Liferay's EnvPropertiesUtil does (facts §1.3)."""

from __future__ import annotations

import pytest

from linter.liferay.env import property_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_ENABLED", "cluster.link.enabled"),
        ("LIFERAY_JDBC_PERIOD_DEFAULT_PERIOD_DRIVER_UPPERCASEC_LASS_UPPERCASEN_AME", "jdbc.default.driverClassName"),
        (
            "LIFERAY_MULTICAST_PERIOD_GROUP_PERIOD_ADDRESS_OPENBRACKET__QUOTE_CLUSTER_MINUS_LINK_MINUS_CONTROL_QUOTE__CLOSEBRACKET_",
            'multicast.group.address["cluster-link-control"]',
        ),
        (
            "LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_CHANNEL_PERIOD_LOGIC_PERIOD_NAME_PERIOD_TRANSPORT_PERIOD__NUMBER0_",
            "cluster.link.channel.logic.name.transport.0",
        ),
        # liferay-learn's example form decodes to an unknown key (facts §1.3 CONFLICT)
        (
            "LIFERAY_CLUSTER_PERIOD_LINK_PERIOD_CHANNEL_PERIOD_LOGIC_PERIOD_NAME_PERIOD_TRANSPORT_PERIOD_NUMBER0",
            "cluster.link.channel.logic.name.transport.number0",
        ),
        ("LIFERAY_WEB_46_SERVER", "web.server"),  # decimal code point
        ("LIFERAY_A_BOGUS_B", "a_bogus_b"),  # undecodable token kept literally
    ],
)
def test_decoding(name: str, key: str) -> None:
    decoded = property_key(name)
    assert decoded is not None and decoded.key == key


def test_literal_tokens_are_reported_and_include_and_override_is_ignored() -> None:
    decoded = property_key("LIFERAY_A_BOGUS_B")
    assert decoded is not None and decoded.literal_tokens == ("bogus",)
    assert property_key("LIFERAY_INCLUDE_MINUS_AND_MINUS_OVERRIDE") is None
    assert property_key("JAVA_OPTS") is None
