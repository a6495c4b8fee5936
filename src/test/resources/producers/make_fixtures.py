#!/usr/bin/env python3
"""Writes the issue-10 fixtures: TID 1500 reports as real producers write them, one per class of the issue.

Each fixture is written as DCMTK's SR XML (the format of dsr2xml) and turned into Part 10 by DCMTK's xml2dsr, so the
files are encoded by an independent SR writer, not by sr2fhir. Run from this folder (needs dcmtk):

    python3 make_fixtures.py

It rewrites every <name>.dcm here; the tests (ProducerFixturesTest, CorpusValidationIT) read those files. UIDs are
fixed (2.25.10xxx) so the expected values in the tests stay valid.
"""
import os
import subprocess
import tempfile

CT = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_SR = "1.2.840.10008.5.1.4.1.1.88.22"
COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"
COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34"
SOP_CLASS_NAMES = {ENHANCED_SR: ("Enhanced SR", "EnhancedSRStorage"),
                   COMPREHENSIVE_SR: ("Comprehensive SR", "ComprehensiveSRStorage"),
                   COMPREHENSIVE_3D_SR: ("Comprehensive 3D SR", "Comprehensive3DSRStorage")}
STUDY = "2.25.10000"
SERIES = "2.25.10001"
IMAGE_1 = "2.25.10011"
IMAGE_2 = "2.25.10012"
IMAGE_3 = "2.25.10013"
FRAME_OF_REFERENCE = "2.25.10020"


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def concept(code, scheme, meaning):
    return f'<concept codValue="{code}" codScheme="{scheme}">{esc(meaning)}</concept>'


def item(value_type, relationship, name, body="", children=(), extra=""):
    rel = f' relType="{relationship}"' if relationship else ""
    return (f'<item valType="{value_type}"{rel}{extra}>' + (concept(*name) if name else "") + "".join(children)
            + body + "</item>")


def container(relationship, name, *children, template=None):
    tid = f'<template resource="DCMR" tid="{template}"/>' if template else ""
    return (f'<item valType="CONTAINER"' + (f' relType="{relationship}"' if relationship else "")
            + ' flag="SEPARATE">' + tid + concept(*name) + "".join(children) + "</item>")


def text(relationship, name, value, *children):
    return item("TEXT", relationship, name, f"<value>{esc(value)}</value>", children)


def code(relationship, name, value, *children):
    return item("CODE", relationship, name, f'<value codValue="{value[0]}" codScheme="{value[1]}">{esc(value[2])}</value>',
                children)


def num(relationship, name, value, unit, *children):
    return item("NUM", relationship, name,
                f'<value>{value}</value><unit codValue="{unit[0]}" codScheme="UCUM">{esc(unit[1])}</unit>', children)


def uidref(relationship, name, uid):
    return item("UIDREF", relationship, name, f"<value>{uid}</value>")


def pname(relationship, name, last, first):
    return item("PNAME", relationship, name, f"<value><first>{first}</first><last>{last}</last></value>")


def image(relationship, name, uid, frames=None):
    frame_tag = f"<frames>{frames}</frames>" if frames else ""
    return item("IMAGE", relationship, name,
                f'<value><sopclass uid="{CT}">CTImageStorage</sopclass><instance uid="{uid}"/>{frame_tag}</value>')


def scoord(relationship, name, graphic_type, data, image_uid):
    return item("SCOORD", relationship, name, f"<data>{data}</data>",
                [image("SELECTED FROM", None, image_uid)], f' type="{graphic_type}"')


def scoord3d(relationship, name, graphic_type, data):
    return item("SCOORD3D", relationship, name, f'<data uid="{FRAME_OF_REFERENCE}">{data}</data>', (),
                f' type="{graphic_type}"')


LANGUAGE = code("HAS CONCEPT MOD", ("121049", "DCM", "Language of Content Item and Descendants"),
                ("en", "RFC5646", "English"))
OBSERVER = pname("HAS OBS CONTEXT", ("121008", "DCM", "Person Observer Name"), "Reader", "Rita")
TRACKING = (text("HAS OBS CONTEXT", ("112039", "DCM", "Tracking Identifier"), "Lesion 1"),
            uidref("HAS OBS CONTEXT", ("112040", "DCM", "Tracking Unique Identifier"), "2.25.10030"))
LENGTH = ("410668003", "SCT", "Length")
MM = ("mm", "millimeter")


def measurements(*children):
    return container("CONTAINS", ("126010", "DCM", "Imaging Measurements"), *children)


def group(*children, template=None):
    return container("CONTAINS", ("125007", "DCM", "Measurement Group"), *children, template=template)


def report(name, instance, root_children, sop_class=ENHANCED_SR, patient_id="PID-10", template="1500",
           title=("126000", "DCM", "Imaging Measurement Report"), study=STUDY):
    kind, sop_name = SOP_CLASS_NAMES[sop_class]
    root = container(None, title, *root_children, template=template)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<report type="{kind}">
<sopclass uid="{sop_class}">{sop_name}</sopclass>
<modality>SR</modality>
<device><manufacturer>sr2fhir fixtures</manufacturer><model>{name}</model></device>
<patient><id>{patient_id}</id><name><first>Test</first><last>Patient</last></name><sex>O</sex></patient>
<study uid="{study}"><id>1</id><date>2024-03-04</date><time>10:00:00</time></study>
<series uid="{SERIES}"><number>100</number></series>
<instance uid="{instance}"><number>1</number></instance>
<evidence type="Current Requested Procedure"><study uid="{study}"><series uid="2.25.10002">
<value><sopclass uid="{CT}">CTImageStorage</sopclass><instance uid="{IMAGE_1}"/></value>
<value><sopclass uid="{CT}">CTImageStorage</sopclass><instance uid="{IMAGE_2}"/></value>
<value><sopclass uid="{CT}">CTImageStorage</sopclass><instance uid="{IMAGE_3}"/></value>
</series></study></evidence>
<document><completion flag="COMPLETE"></completion><verification flag="UNVERIFIED"></verification>
<content><date>2024-03-04</date><time>11:00:00</time>
{root}
</content></document></report>
"""
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
        f.write(xml)
    try:
        subprocess.run(["xml2dsr", f.name, name + ".dcm"], check=True)
    finally:
        os.unlink(f.name)


def main():
    # 1. Measurement Groups directly under the root (old dcmjs/OHIF and dwv exports): decision D23
    report("groups-under-root", "2.25.10101", [
        LANGUAGE, OBSERVER,
        group(*TRACKING,
              code("CONTAINS", ("121071", "DCM", "Finding"), ("27925004", "SCT", "Nodule")),
              num("CONTAINS", LENGTH, "54.3", MM,
                  scoord("INFERRED FROM", None, "POLYLINE", "120/88,180/140", IMAGE_1)))])
    # 1b. a TID 1500 report with nothing to map: refused, saying what it holds (D23)
    report("nothing-to-map", "2.25.10102", [
        LANGUAGE,
        container("CONTAINS", ("111028", "DCM", "Image Library"),
                  container("CONTAINS", ("126200", "DCM", "Image Library Group"), image("CONTAINS", None, IMAGE_1))),
        measurements()])
    # 2. several Finding Sites on a group and on a measurement (highdicom takes a list): decision D24
    report("several-finding-sites", "2.25.10103", [
        LANGUAGE, OBSERVER,
        measurements(group(
            *TRACKING,
            code("HAS CONCEPT MOD", ("363698007", "SCT", "Finding Site"), ("39607008", "SCT", "Lung"),
                 code("HAS CONCEPT MOD", ("272741003", "SCT", "Laterality"), ("7771000", "SCT", "Left"))),
            code("HAS CONCEPT MOD", ("363698007", "SCT", "Finding Site"), ("3120008", "SCT", "Pleural membrane"),
                 code("HAS CONCEPT MOD", ("272741003", "SCT", "Laterality"), ("7771000", "SCT", "Left")),
                 code("HAS CONCEPT MOD", ("106233006", "SCT", "Topographical modifier"),
                      ("255549009", "SCT", "Anterior"))),
            num("CONTAINS", LENGTH, "31", MM,
                code("HAS CONCEPT MOD", ("363698007", "SCT", "Finding Site"), ("10200004", "SCT", "Liver")),
                code("HAS CONCEPT MOD", ("363698007", "SCT", "Finding Site"), ("28231008", "SCT", "Gallbladder"))),
            num("CONTAINS", ("81827009", "SCT", "Diameter"), "12", MM,
                code("HAS CONCEPT MOD", ("363698007", "SCT", "Finding Site"), ("10200004", "SCT", "Liver"))),
            template="1501"))],
        sop_class=COMPREHENSIVE_SR)
    # 3. coordinates under qualitative evaluations (a landmark point, the outline of an unmeasurable lesion): D25
    report("evaluation-coordinates", "2.25.10104", [
        LANGUAGE, OBSERVER,
        measurements(group(
            *TRACKING,
            code("CONTAINS", ("246112005", "SCT", "Severity"), ("6736007", "SCT", "Moderate"),
                 scoord("INFERRED FROM", ("111030", "DCM", "Image Region"), "CIRCLE", "50/50,60/50", IMAGE_1)),
            text("CONTAINS", ("121106", "DCM", "Comment"), "landmark: carina",
                 scoord3d("INFERRED FROM", None, "POINT", "10.5/-20/30.25")),
            template="1501"))],
        sop_class=COMPREHENSIVE_3D_SR)
    # 4. Template Identifier written "TID1500" (an independent writer): decision D1 as extended
    report("template-tid1500", "2.25.10105", [
        LANGUAGE, OBSERVER, measurements(group(*TRACKING, num("CONTAINS", LENGTH, "7.5", MM)))],
        template="TID1500")
    # 5. an empty Patient ID (Type 2; what many OHIF/dcmjs exports carry): decision D26. Two studies of their own: the
    #    CLI test puts 2.25.10006 on its server; the route test finds no 2.25.10007 first, then adds it
    for name, instance, study in (("empty-patient-id", "2.25.10106", "2.25.10006"),
                                  ("empty-patient-id-later-study", "2.25.10110", "2.25.10007")):
        report(name, instance, [
            LANGUAGE, OBSERVER, measurements(group(
                *TRACKING,
                code("HAS CONCEPT MOD", ("363698007", "SCT", "Finding Site"), ("39607008", "SCT", "Lung")),
                num("CONTAINS", LENGTH, "20", MM, scoord("INFERRED FROM", None, "POLYLINE", "1/2,3/4", IMAGE_1))))],
            patient_id="", study=study)
    # 6. legacy SRT codes on a Finding Site and its laterality, one the D12 table does not know: decision D27
    report("legacy-codes", "2.25.10107", [
        LANGUAGE, OBSERVER,
        measurements(group(
            *TRACKING,
            code("HAS CONCEPT MOD", ("G-C0E3", "SRT", "Finding Site"), ("T-28000", "SRT", "Lung"),
                 code("HAS CONCEPT MOD", ("G-C171", "SRT", "Laterality"), ("G-A101", "SRT", "Left"))),
            num("CONTAINS", ("G-D7FE", "SRT", "Length"), "14", MM,
                code("HAS CONCEPT MOD", ("G-C0E3", "SRT", "Finding Site"), ("T-00317", "SRT", "Legacy site"))),
            template="1501"))])
    # 7. TID 1501 image references with and without a concept name (dcmqi 2017, highdicom): decision D28
    report("source-images", "2.25.10108", [
        LANGUAGE, OBSERVER,
        measurements(group(
            *TRACKING,
            image("CONTAINS", None, IMAGE_1),
            image("CONTAINS", None, IMAGE_2, frames="2,3"),
            image("CONTAINS", ("260753009", "SCT", "Source"), IMAGE_3),
            num("CONTAINS", LENGTH, "9", MM,
                image("INFERRED FROM", ("121112", "DCM", "Source of Measurement"), IMAGE_2)),
            num("CONTAINS", ("81827009", "SCT", "Diameter"), "4", MM),
            template="1501"))],
        sop_class=COMPREHENSIVE_SR)
    # 8. observer context, time point and activity session (TID 1002/1003/1004, TID 1502), and a viewer's display
    #    attributes (dwv's Short label and Color): decisions D29-D32
    report("observer-context", "2.25.10109", [
        LANGUAGE,
        code("HAS OBS CONTEXT", ("121005", "DCM", "Observer Type"), ("121006", "DCM", "Person")),
        pname("HAS OBS CONTEXT", ("121008", "DCM", "Person Observer Name"), "Reader", "Rita"),
        text("HAS OBS CONTEXT", ("121009", "DCM", "Person Observer's Organization Name"), "City Hospital Radiology"),
        code("HAS OBS CONTEXT", ("121010", "DCM", "Person Observer's Role in the Organization"),
             ("309343006", "SCT", "Physician")),
        code("HAS OBS CONTEXT", ("121005", "DCM", "Observer Type"), ("121007", "DCM", "Device")),
        uidref("HAS OBS CONTEXT", ("121012", "DCM", "Device Observer UID"), "2.25.10040"),
        text("HAS OBS CONTEXT", ("121013", "DCM", "Device Observer Name"), "LesionFinder"),
        text("HAS OBS CONTEXT", ("121014", "DCM", "Device Observer Manufacturer"), "Example AI Inc."),
        text("HAS OBS CONTEXT", ("121015", "DCM", "Device Observer Model Name"), "LF-2"),
        text("HAS OBS CONTEXT", ("121016", "DCM", "Device Observer Serial Number"), "SN-7"),
        text("HAS OBS CONTEXT", ("C2348792", "UMLS", "Time Point"), "T1"),
        code("HAS OBS CONTEXT", ("126072", "DCM", "Time Point Type"), ("126074", "DCM", "Posttreatment")),
        num("HAS OBS CONTEXT", ("126073", "DCM", "Time Point Order"), "2", ("1", "no units")),
        measurements(group(
            *TRACKING,
            text("HAS OBS CONTEXT", ("C67447", "NCIt", "Activity Session"), "2"),
            text("HAS CONCEPT MOD", ("125309", "DCM", "Short label"), "{surface}"),
            text("HAS CONCEPT MOD", ("718499004", "SCT", "Color"), "#ffff80"),
            num("CONTAINS", LENGTH, "16", MM)))])


if __name__ == "__main__":
    main()
