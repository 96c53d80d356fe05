"""`imsmanifest.xml` for SCORM 1.2 and SCORM 2004 4th edition.

One organization; one item per module, each the launch page of one SCO; every SCO depends on one
shared asset resource (the runtime, the adapter, the styles), listed once. No `masteryscore` /
`scaledPassingScore`: the SCO reports its own success under the course's mastery rule (first
tries, scenarios), which a score threshold alone cannot express. In 2004 the organization lets the
learner move between modules in any order (`choice`) or one after the other (`flow`).

The XSD files are not copied into the packages (they would double a module package's size):
the manifests name no `xsi:schemaLocation`, and the test suite validates them against the ADL
and IMS schemas.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"

SCHEMA_VERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}


@dataclass(frozen=True)
class Sco:
    ident: str  # an XML NCName, unique in the manifest
    title: str
    href: str  # the launch file, relative to the package root


def _ns(version: str) -> tuple[str, str]:
    return (CP_12, ADLCP_12) if version == "1.2" else (CP_2004, ADLCP_2004)


def manifest(version: str, ident: str, title: str, scos: list[Sco], shared: list[str]) -> str:
    """The manifest text. `shared`: the files every SCO uses (runtime, adapter, styles)."""
    if version not in SCHEMA_VERSION:
        raise ValueError(f"SCORM version {version!r} (expected 1.2 or 2004)")
    cp, adlcp = _ns(version)
    # Tags are written with their prefix as plain names and the namespaces declared on the root:
    # the IMS package namespace stays the default one (LMS readers look for bare `manifest`,
    # `item`, `resource` tags), which ElementTree cannot do with unprefixed attributes.
    declared = {"xmlns": cp, "xmlns:adlcp": adlcp}
    if version == "2004":
        declared |= {"xmlns:adlseq": ADLSEQ, "xmlns:adlnav": ADLNAV, "xmlns:imsss": IMSSS}

    def q(tag: str, prefix: str = "") -> str:
        return f"{prefix}:{tag}" if prefix else tag

    root = ET.Element("manifest", {"identifier": ident, "version": "1", **declared})
    metadata = ET.SubElement(root, q("metadata"))
    ET.SubElement(metadata, q("schema")).text = "ADL SCORM"
    ET.SubElement(metadata, q("schemaversion")).text = SCHEMA_VERSION[version]

    organizations = ET.SubElement(root, q("organizations"), {"default": "org"})
    organization = ET.SubElement(organizations, q("organization"), {"identifier": "org"})
    ET.SubElement(organization, q("title")).text = title
    for sco in scos:
        item = ET.SubElement(
            organization,
            q("item"),
            {"identifier": f"item-{sco.ident}", "identifierref": f"res-{sco.ident}"},
        )
        ET.SubElement(item, q("title")).text = sco.title
    if version == "2004":
        sequencing = ET.SubElement(organization, q("sequencing", "imsss"))
        ET.SubElement(sequencing, q("controlMode", "imsss"), {"choice": "true", "flow": "true"})

    resources = ET.SubElement(root, q("resources"))
    kind = "scormtype" if version == "1.2" else "scormType"
    for sco in scos:
        resource = ET.SubElement(
            resources,
            q("resource"),
            {
                "identifier": f"res-{sco.ident}",
                "type": "webcontent",
                q(kind, "adlcp"): "sco",
                "href": sco.href,
            },
        )
        ET.SubElement(resource, q("file"), {"href": sco.href})
        ET.SubElement(resource, q("dependency"), {"identifierref": "res-shared"})
    shared_resource = ET.SubElement(
        resources,
        q("resource"),
        {"identifier": "res-shared", "type": "webcontent", q(kind, "adlcp"): "asset"},
    )
    for href in shared:
        ET.SubElement(shared_resource, q("file"), {"href": href})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
