#!/usr/bin/env python3
"""Packaging tests (CTest label `packaging`), each run as `packaging_test.py --config <json> <case>`.

The signed test packages are made the way the build makes real ones (aero-inf-stamp,
tools/signing/sign-driver-package.sh) from the toolchain test driver
out/test-drivers/<arch>/aero_minimal_test.sys and tests/data/aero_minimal_test.inf. Everything is
then checked with independent implementations: osslsigncode verifies signatures and catalog
membership (and computes the PE image hash itself), `openssl asn1parse` dumps the catalog
structure, hashlib hashes flat files, xorriso and Python's zipfile list the media.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ARCHES = {"x86": "x86", "amd64": "x64"}  # media folder name -> build output folder name
POLICIES = ("sha1", "sha1+sha256")
TEST_NAME = "aero_minimal_test"
EPOCH = 1700000000
CTL_OID = "1.3.6.1.4.1.311.10.1"
CATALOG_LIST_OID = "1.3.6.1.4.1.311.12.1.1"
CATALOG_MEMBER_OID = "1.3.6.1.4.1.311.12.1.2"
NAME_VALUE_OID = "1.3.6.1.4.1.311.12.2.1"
MEMBER_INFO_OID = "1.3.6.1.4.1.311.12.2.2"
INDIRECT_DATA_OID = "1.3.6.1.4.1.311.2.1.4"
PE_IMAGE_DATA_OID = "1.3.6.1.4.1.311.2.1.15"
CAB_DATA_OID = "1.3.6.1.4.1.311.2.1.25"
SIP_PE = "{C689AAB8-8E78-11D0-8C47-00C04FC295EE}"
SIP_FLAT = "{DE351A42-8E59-11D0-8C47-00C04FC295EE}"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(args, expect_ok=True, env=None):
    result = subprocess.run([str(a) for a in args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    if expect_ok and result.returncode != 0:
        raise Failure(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stdout}")
    return result


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def listing(folder):
    """Every file below `folder`, relative with '/'."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            found.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
    return sorted(found)


class Context:
    def __init__(self, config):
        self.c = config
        self.work = config["work_dir"]
        self.identity = os.path.join(self.work, "identity")
        self.certs = os.path.join(self.work, "certs")

    def tool(self, name):
        return self.c[name]

    def publisher_sha1(self, certs=None):
        with open(os.path.join(certs or self.certs, "signing.txt")) as f:
            for line in f:
                if line.startswith("publisher_sha1="):
                    return line.strip().split("=", 1)[1]
        raise Failure("signing.txt names no publisher")

    def test_sys(self, arch):
        path = os.path.join(self.c["out_dir"], "test-drivers", ARCHES[arch], f"{TEST_NAME}.sys")
        check(os.path.isfile(path), f"{path} is missing: build the win7 trees first (make)")
        return path

    def packages(self, policy):
        return os.path.join(self.work, "packages-" + policy.replace("+", "-"))

    def package_dir(self, policy, arch):
        return os.path.join(self.packages(policy), TEST_NAME, arch)

    def stage_and_sign(self, root, arch, policy, expect_ok=True):
        folder = os.path.join(root, TEST_NAME, arch)
        os.makedirs(folder, exist_ok=True)
        inf = os.path.join(folder, f"{TEST_NAME}.inf")
        run([self.tool("inf_stamp"), "--in", self.c["test_inf"], "--out", inf,
             "--time", EPOCH, "--version", "0.1.0"])
        shutil.copyfile(self.test_sys(arch), os.path.join(folder, f"{TEST_NAME}.sys"))
        return run(["bash", os.path.join(self.c["signing_dir"], "sign-driver-package.sh"),
                    "--inf", inf, "--arch", arch, "--digests", policy, "--time", EPOCH,
                    "--catalog-tool", self.tool("catalog"), "--identity", self.identity,
                    "--certs", self.certs], expect_ok=expect_ok)

    def build_media(self, out_dir, packages=None, extra_files=(), expect_ok=True, env=None):
        os.makedirs(out_dir, exist_ok=True)
        args = [self.tool("packager"), "--iso", os.path.join(out_dir, "media.iso"),
                "--zip", os.path.join(out_dir, "media.zip"), "--version", "0.1.0",
                "--build-id", "packaging-test", "--source-date-epoch", EPOCH,
                "--xorriso", self.tool("xorriso"),
                "--file", f"README.txt={self.c['readme']}",
                "--file", f"certs/aero-test-root.cer={self.certs}/aero-test-root.cer",
                "--file", f"certs/aero-test-publisher.cer={self.certs}/aero-test-publisher.cer",
                "--file", f"setup.cmd={self.c['sample_script']}",
                "--signing", "identity=generated-test-identity",
                "--signing", "file_digests=sha1", "--signing", "catalog_digest=sha1"]
        if packages:
            args += ["--driver-packages", packages]
        for media_path, source in extra_files:
            args += ["--file", f"{media_path}={source}"]
        return run(args, expect_ok=expect_ok, env=env)


# --- fixtures -------------------------------------------------------------------------------

def fixture_identity(ctx):
    shutil.rmtree(ctx.work, ignore_errors=True)
    os.makedirs(ctx.work)
    run(["bash", os.path.join(ctx.c["signing_dir"], "make-test-identity.sh"), ctx.identity])
    env = {k: v for k, v in os.environ.items() if not k.startswith("AERO_SIGNING_PFX")}
    run(["bash", os.path.join(ctx.c["signing_dir"], "export-certificates.sh"), ctx.identity,
         ctx.certs], env=env)
    with open(os.path.join(ctx.identity, "identity.txt")) as f:
        check("certificate_digest=sha1" in f.read(), "the test identity is not SHA-1 signed")


def fixture_packages(ctx):
    for policy in POLICIES:
        shutil.rmtree(ctx.packages(policy), ignore_errors=True)
        for arch in ARCHES:
            ctx.stage_and_sign(ctx.packages(policy), arch, policy)


def fixture_media(ctx):
    # Two builds of the same inputs, in other folders and other time zones.
    for name, zone in (("media-a", "UTC"), ("media-b", "Pacific/Auckland")):
        shutil.rmtree(os.path.join(ctx.work, name), ignore_errors=True)
        ctx.build_media(os.path.join(ctx.work, name), ctx.packages("sha1"),
                        env=dict(os.environ, TZ=zone))


# --- signatures and catalogs ----------------------------------------------------------------

def verify_in_catalog(ctx, sys_path, cat_path, root_pem, publisher):
    result = run([ctx.tool("osslsigncode"), "verify", "-in", sys_path, "-catalog", cat_path,
                  "-CAfile", root_pem, "-require-leaf-hash", f"sha1:{publisher}", "-verbose"],
                 expect_ok=False)
    return result


def catalog_members(ctx, arch):
    for policy in POLICIES:
        folder = ctx.package_dir(policy, arch)
        sys_path = os.path.join(folder, f"{TEST_NAME}.sys")
        cat_path = os.path.join(folder, f"{TEST_NAME}.cat")
        result = verify_in_catalog(ctx, sys_path, cat_path, os.path.join(ctx.certs, "root.pem"),
                                   ctx.publisher_sha1())
        check(result.returncode == 0 and "File is signed in catalog" in result.stdout,
              f"osslsigncode does not find {sys_path} in {cat_path}:\n{result.stdout}")
        check(re.search(r"^Message digest algorithm:\s*SHA1\s*$", result.stdout, re.M),
              f"the catalog's signature is not SHA-1:\n{result.stdout}")
        check(re.search(r"^Message digest algorithm\s+:\s*SHA1\s*$", result.stdout, re.M),
              f"the catalog's member hash is not SHA-1:\n{result.stdout}")

        # Controls: the check must fail for a file the catalog does not list, for a changed
        # image, and for a signer other than the expected publisher.
        other = os.path.join(ctx.package_dir(policy, "x86" if arch == "amd64" else "amd64"),
                             f"{TEST_NAME}.sys")
        result = verify_in_catalog(ctx, other, cat_path, os.path.join(ctx.certs, "root.pem"),
                                   ctx.publisher_sha1())
        check(result.returncode != 0, f"{other} verified against {cat_path}")
        with tempfile.TemporaryDirectory() as tmp:
            changed = os.path.join(tmp, f"{TEST_NAME}.sys")
            data = bytearray(open(sys_path, "rb").read())
            data[0x400] ^= 0xff  # inside .text, which the image hash covers
            open(changed, "wb").write(data)
            result = verify_in_catalog(ctx, changed, cat_path,
                                       os.path.join(ctx.certs, "root.pem"), ctx.publisher_sha1())
            check(result.returncode != 0, "a changed image still verified against the catalog")
        result = verify_in_catalog(ctx, sys_path, cat_path, os.path.join(ctx.certs, "root.pem"),
                                   "0" * 40)
        check(result.returncode != 0, "the catalog verified with a wrong publisher hash")


def sys_signatures(ctx, arch):
    for policy in POLICIES:
        sys_path = os.path.join(ctx.package_dir(policy, arch), f"{TEST_NAME}.sys")
        result = run([ctx.tool("osslsigncode"), "verify", "-in", sys_path,
                      "-CAfile", os.path.join(ctx.certs, "root.pem"),
                      "-require-leaf-hash", f"sha1:{ctx.publisher_sha1()}"], expect_ok=False)
        check(result.returncode == 0, f"embedded signature of {sys_path}:\n{result.stdout}")
        # One "Message digest algorithm  :" line per signature (the file digest it signs).
        algorithms = re.findall(r"^Message digest algorithm\s+:\s*(\S+)", result.stdout, re.M)
        expected = ["SHA1"] if policy == "sha1" else ["SHA1", "SHA256"]
        check(algorithms == expected,
              f"{policy} signature of {sys_path} uses {algorithms}, not {expected}")
        check(f"Number of verified signatures: {len(expected)}" in result.stdout,
              f"not every signature of {sys_path} verified:\n{result.stdout}")
        # Control: the chain ends at the generated root, which the system CAs do not include.
        result = run([ctx.tool("osslsigncode"), "verify", "-in", sys_path], expect_ok=False)
        check(result.returncode != 0, f"{sys_path} verified against the system CA bundle")


class Asn1:
    """`openssl asn1parse` output as a tree; raw bytes come from the offsets it reports."""

    LINE = re.compile(r"^\s*(\d+):d=\s*(\d+)\s+hl=\s*(\d+)\s+l=\s*(\d+)\s+(prim|cons):\s*(.*?)\s*$")

    def __init__(self, openssl, path):
        self.data = open(path, "rb").read()
        text = run([openssl, "asn1parse", "-inform", "DER", "-in", path]).stdout
        self.root = None
        stack = []
        for line in text.splitlines():
            m = self.LINE.match(line)
            check(m, f"unexpected asn1parse line: {line}")
            offset, depth, hl, length = (int(m.group(i)) for i in range(1, 5))
            kind, rest = m.group(5), m.group(6)
            type_name, _, value = rest.partition(":")
            type_name = re.sub(r"\s*\[HEX DUMP\]$", "", type_name.strip())
            node = {"offset": offset, "hl": hl, "len": length, "cons": kind == "cons",
                    "type": type_name, "value": value.strip(), "children": []}
            while stack and stack[-1][0] >= depth:
                stack.pop()
            if stack:
                stack[-1][1]["children"].append(node)
            else:
                check(self.root is None, "more than one top-level element")
                self.root = node
            stack.append((depth, node))

    def content(self, node):
        start = node["offset"] + node["hl"]
        return self.data[start:start + node["len"]]

    def utf16(self, node):
        raw = self.content(node)
        check(raw.endswith(b"\0\0") and len(raw) % 2 == 0, "UTF-16 value without its NUL")
        return raw[:-2].decode("utf-16-le")

    def bmp(self, node):
        check(node["type"] == "BMPSTRING", f"{node['type']} is not a BMPSTRING")
        return self.content(node).decode("utf-16-be")


def name_value(asn, sequence):
    """(name, flags, value) of a CAT_NAMEVALUE SEQUENCE."""
    name_node, flags_node, value_node = sequence["children"]
    return asn.bmp(name_node), flags_node["value"], asn.utf16(value_node)


def catalog_structure(ctx, arch):
    folder = ctx.package_dir("sha1", arch)
    cat_path = os.path.join(folder, f"{TEST_NAME}.cat")
    asn = Asn1(ctx.tool("openssl"), cat_path)
    root = asn.root
    check(root["children"][0]["value"] == "pkcs7-signedData", "not PKCS#7 SignedData")
    signed_data = root["children"][1]["children"][0]
    content_info = signed_data["children"][2]
    check(content_info["children"][0]["value"] == CTL_OID, "content type is not szOID_CTL")
    ctl = content_info["children"][1]["children"][0]
    usage, identifier, this_update, algorithm, members, extensions = ctl["children"]
    check(usage["children"][0]["value"] == CATALOG_LIST_OID, "usage is not szOID_CATALOG_LIST")
    check(identifier["type"] == "OCTET STRING" and identifier["len"] == 16, "list identifier")
    check(this_update["type"] == "UTCTIME" and this_update["value"] == "231114221320Z",
          f"thisUpdate {this_update['value']} is not SOURCE_DATE_EPOCH")
    check(algorithm["children"][0]["value"] == CATALOG_MEMBER_OID, "member algorithm")

    # Independent digests: hashlib for the INF, osslsigncode's own PE image hash for the .sys.
    inf_sha1 = hashlib.sha1(open(os.path.join(folder, f"{TEST_NAME}.inf"), "rb").read())
    verify = verify_in_catalog(ctx, os.path.join(folder, f"{TEST_NAME}.sys"), cat_path,
                               os.path.join(ctx.certs, "root.pem"), ctx.publisher_sha1())
    m = re.search(r"Calculated message digest\s*:\s*([0-9A-F]{40})", verify.stdout)
    check(m, f"osslsigncode did not report the image hash:\n{verify.stdout}")
    expected = {f"{TEST_NAME}.inf": (inf_sha1.hexdigest().upper(), CAB_DATA_OID, SIP_FLAT),
                f"{TEST_NAME}.sys": (m.group(1), PE_IMAGE_DATA_OID, SIP_PE)}

    seen = {}
    tags = []
    for member in members["children"]:
        tag_node, attributes = member["children"]
        tag = asn.utf16(tag_node)
        tags.append(tag)
        values = {}
        for attribute in attributes["children"]:
            oid = attribute["children"][0]["value"]
            value = attribute["children"][1]["children"][0]
            if oid == NAME_VALUE_OID:
                name, flags, text = name_value(asn, value)
                check(flags == "10010001", f"name-value flags {flags}")
                values[name] = text
            else:
                check(oid not in values, f"attribute {oid} twice")
                values[oid] = value
        file_name = values.get("File")
        check(file_name in expected, f"unexpected member File={file_name}")
        digest, data_type, sip = expected[file_name]
        check(tag == digest, f"{file_name}: tag {tag}, expected digest {digest}")
        check(values.get("OSAttr") == "2:6.1", f"{file_name}: OSAttr {values.get('OSAttr')}")
        indirect = values[INDIRECT_DATA_OID]
        check(indirect["children"][0]["children"][0]["value"] == data_type,
              f"{file_name}: indirect data type")
        digest_info = indirect["children"][1]
        check(digest_info["children"][0]["children"][0]["value"] == "sha1", "member hash not SHA-1")
        check(asn.content(digest_info["children"][1]).hex().upper() == digest,
              f"{file_name}: indirect data digest differs from the tag")
        member_info = values[MEMBER_INFO_OID]
        check(asn.bmp(member_info["children"][0]) == sip, f"{file_name}: subject GUID")
        check(member_info["children"][1]["value"] == "0200", f"{file_name}: member version")
        seen[file_name] = True
    check(sorted(seen) == sorted(expected), f"members {sorted(seen)}, expected {sorted(expected)}")
    check(tags == sorted(tags), "members are not sorted by tag")

    attributes = {}
    check(extensions["type"] == "cont [ 0 ]", "no catalog attributes")
    for extension in extensions["children"][0]["children"]:
        oid_node, blob = extension["children"]
        check(oid_node["value"] == NAME_VALUE_OID, "catalog attribute OID")
        with tempfile.NamedTemporaryFile(suffix=".der") as f:
            f.write(asn.content(blob))
            f.flush()
            inner_asn = Asn1(ctx.tool("openssl"), f.name)
        name, _, text = name_value(inner_asn, inner_asn.root)
        attributes[name] = text
    check(attributes == {"OS": "7X86" if arch == "x86" else "7X64",
                         "HWID1": "root\\aero_minimal_test"},
          f"catalog attributes {attributes}")


# --- media ----------------------------------------------------------------------------------

def check_media(ctx, iso, zip_path, source_scripts=None):
    """The ISO (Joliet and Rock Ridge trees) and the ZIP hold exactly the manifest's files."""
    with tempfile.TemporaryDirectory() as tmp:
        for tree in ("rockridge", "joliet"):
            other = "joliet" if tree == "rockridge" else "rockridge"
            target = os.path.join(tmp, tree)
            run([ctx.tool("xorriso"), "-no_rc", "-report_about", "SORRY", f"-{other}", "off",
                 f"-{tree}", "on", "-osirrox", "on", "-indev", iso, "-extract", "/", target])
            check(os.path.isdir(target), f"xorriso extracted nothing from the {tree} tree")
        with zipfile.ZipFile(zip_path) as archive:
            check(archive.testzip() is None, "the ZIP has a corrupt member")
            manifest = json.loads(archive.read("manifest.json"))
            stamp = time.gmtime(manifest["source_date_epoch"] // 2 * 2)  # DOS time: 2 s steps
            for info in archive.infolist():
                check(info.date_time == tuple(stamp[:6]),
                      f"{info.filename}: time {info.date_time}, not SOURCE_DATE_EPOCH")
                check(info.external_attr >> 16 in (0o100644, 0o40755),
                      f"{info.filename}: mode {oct(info.external_attr >> 16)}")
            archive.extractall(os.path.join(tmp, "zip"))
        check(manifest["format"] == "aero-guest-tools-manifest", "manifest format")
        listed = {entry["path"]: entry for entry in manifest["files"]}
        check(len(listed) == len(manifest["files"]), "manifest lists a path twice")
        check([e["path"] for e in manifest["files"]] == sorted(listed), "manifest not sorted")
        expected = sorted(list(listed) + ["manifest.json"])
        for tree in ("rockridge", "joliet", "zip"):
            found = listing(os.path.join(tmp, tree))
            check(found == expected, f"{tree} lists {found}, manifest says {expected}")
            for path, entry in listed.items():
                full = os.path.join(tmp, tree, path)
                check(os.path.getsize(full) == entry["size"], f"{tree}/{path}: size")
                check(sha256(full) == entry["sha256"], f"{tree}/{path}: SHA-256")
            check(sha256(os.path.join(tmp, tree, "manifest.json")) ==
                  sha256(os.path.join(tmp, "zip", "manifest.json")), "manifests differ")
        for required in ("README.txt", "certs/aero-test-root.cer", "certs/aero-test-publisher.cer"):
            check(required in listed, f"the media lacks {required}")
        for script in source_scripts or []:
            check(script in listed, f"the media lacks the script {script}")

        # Every driver package on the media verifies against the media's own certificates.
        root_pem = os.path.join(tmp, "root.pem")
        run([ctx.tool("openssl"), "x509", "-inform", "DER", "-in",
             os.path.join(tmp, "zip", "certs", "aero-test-root.cer"), "-out", root_pem])
        publisher = run([ctx.tool("openssl"), "x509", "-inform", "DER", "-noout", "-fingerprint",
                         "-sha1", "-in", os.path.join(tmp, "zip", "certs",
                                                      "aero-test-publisher.cer")]).stdout
        publisher = publisher.strip().split("=", 1)[1].replace(":", "")
        for driver in manifest["drivers"]:
            for arch in driver["architectures"]:
                folder = os.path.join(tmp, "zip", "drivers", driver["name"], arch)
                cats = [n for n in os.listdir(folder) if n.lower().endswith(".cat")]
                check(len(cats) == 1, f"{folder}: {cats}")
                images = [n for n in os.listdir(folder) if n.lower().endswith((".sys", ".dll"))]
                check(images, f"{folder} holds no driver image")
                for image in images:
                    result = verify_in_catalog(ctx, os.path.join(folder, image),
                                               os.path.join(folder, cats[0]), root_pem, publisher)
                    check(result.returncode == 0,
                          f"{driver['name']}/{arch}/{image} is not in its catalog:\n{result.stdout}")
                    result = run([ctx.tool("osslsigncode"), "verify", "-in",
                                  os.path.join(folder, image), "-CAfile", root_pem,
                                  "-require-leaf-hash", f"sha1:{publisher}"], expect_ok=False)
                    check(result.returncode == 0,
                          f"{driver['name']}/{arch}/{image} signature:\n{result.stdout}")
                    digests = re.findall(r"^Message digest algorithm\s+:\s*(\S+)",
                                         result.stdout, re.M)
                    wanted = [d.upper() for d in manifest["signing"]["file_digests"].split("+")]
                    check(digests == wanted, f"{driver['name']}/{arch}/{image} is signed with "
                                             f"{digests}; the manifest says {wanted}")
        return manifest


def media_listing(ctx):
    manifest = check_media(ctx, os.path.join(ctx.work, "media-a", "media.iso"),
                           os.path.join(ctx.work, "media-a", "media.zip"))
    check(manifest["drivers"] == [{"name": TEST_NAME, "architectures": ["amd64", "x86"]}],
          f"drivers {manifest['drivers']}")


def determinism(ctx):
    for name in ("media.iso", "media.zip"):
        a = open(os.path.join(ctx.work, "media-a", name), "rb").read()
        b = open(os.path.join(ctx.work, "media-b", name), "rb").read()
        check(a == b, f"{name} differs between two builds of the same inputs")
    # Signing and cataloging again, in another folder, gives the same bytes.
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        for arch in ARCHES:
            ctx.stage_and_sign(tmp, arch, "sha1+sha256")
            for name in (f"{TEST_NAME}.cat", f"{TEST_NAME}.sys", f"{TEST_NAME}.inf"):
                again = open(os.path.join(tmp, TEST_NAME, arch, name), "rb").read()
                first = open(os.path.join(ctx.package_dir("sha1+sha256", arch), name), "rb").read()
                check(again == first, f"{arch}/{name} differs when signed again")


def product_media(ctx):
    iso, zip_path = ctx.c["product_iso"], ctx.c["product_zip"]
    check(os.path.isfile(iso) and os.path.isfile(zip_path),
          f"{iso} / {zip_path} missing: build first (make)")
    scripts = []
    guest_tools = ctx.c["guest_tools_dir"]
    if os.path.isdir(guest_tools):
        for name in sorted(os.listdir(guest_tools)):
            if name.lower().endswith((".cmd", ".ps1")):
                scripts.append(name)
        config = os.path.join(guest_tools, "config")
        if os.path.isdir(config):
            scripts += ["config/" + n for n in sorted(os.listdir(config))
                        if n.lower().endswith(".cmd")]
    check_media(ctx, iso, zip_path, scripts)


# --- identities -----------------------------------------------------------------------------

def sign_with(ctx, tmp, identity, certs, env):
    """Stages and signs the amd64 test package with the given identity; returns its folder."""
    folder = os.path.join(tmp, "packages", TEST_NAME, "amd64")
    os.makedirs(folder)
    inf = os.path.join(folder, f"{TEST_NAME}.inf")
    run([ctx.tool("inf_stamp"), "--in", ctx.c["test_inf"], "--out", inf, "--time", EPOCH,
         "--version", "0.1.0"])
    shutil.copyfile(ctx.test_sys("amd64"), os.path.join(folder, f"{TEST_NAME}.sys"))
    run(["bash", os.path.join(ctx.c["signing_dir"], "export-certificates.sh"), identity, certs],
        env=env)
    run(["bash", os.path.join(ctx.c["signing_dir"], "sign-driver-package.sh"), "--inf", inf,
         "--arch", "amd64", "--time", EPOCH, "--catalog-tool", ctx.tool("catalog"),
         "--identity", identity, "--certs", certs], env=env)
    return folder


def user_pfx(ctx):
    """AERO_SIGNING_PFX replaces the generated identity; its password never needs a file."""
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        pfx = os.path.join(tmp, "user.pfx")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AERO_SIGNING_PFX")}
        env["USER_PFX_PASSWORD"] = "user pass"
        run([ctx.tool("openssl"), "pkcs12", "-export", "-inkey",
             os.path.join(ctx.identity, "publisher.key"),
             "-in", os.path.join(ctx.identity, "publisher.pem"),
             "-certfile", os.path.join(ctx.identity, "root.pem"),
             "-passout", "env:USER_PFX_PASSWORD", "-out", pfx], env=env)
        pass_file = os.path.join(tmp, "pass.txt")
        open(pass_file, "w").write("user pass\n")
        for variant in ("password", "password_file"):
            user_env = dict(env, AERO_SIGNING_PFX=pfx)
            if variant == "password":
                user_env["AERO_SIGNING_PFX_PASSWORD"] = "user pass"
            else:
                user_env["AERO_SIGNING_PFX_PASSWORD_FILE"] = pass_file
            certs = os.path.join(tmp, variant, "certs")
            folder = sign_with(ctx, os.path.join(tmp, variant), os.path.join(tmp, "none"), certs,
                               user_env)
            facts = open(os.path.join(certs, "signing.txt")).read()
            check("identity=user-pfx" in facts, f"signing.txt says:\n{facts}")
            check(open(os.path.join(certs, "aero-test-root.cer"), "rb").read() ==
                  open(os.path.join(ctx.certs, "aero-test-root.cer"), "rb").read(),
                  "the root taken from the PFX is not the PFX's root")
            result = verify_in_catalog(ctx, os.path.join(folder, f"{TEST_NAME}.sys"),
                                       os.path.join(folder, f"{TEST_NAME}.cat"),
                                       os.path.join(certs, "root.pem"), ctx.publisher_sha1(certs))
            check(result.returncode == 0, f"user PFX ({variant}):\n{result.stdout}")
        wrong = dict(env, AERO_SIGNING_PFX=pfx, AERO_SIGNING_PFX_PASSWORD="wrong")
        result = run(["bash", os.path.join(ctx.c["signing_dir"], "export-certificates.sh"),
                      os.path.join(tmp, "none"), os.path.join(tmp, "wrong")], expect_ok=False,
                     env=wrong)
        check(result.returncode != 0 and "wrong password" in result.stdout,
              f"a wrong PFX password was not reported:\n{result.stdout}")
        result = run(["bash", os.path.join(ctx.c["signing_dir"], "export-certificates.sh"),
                      os.path.join(tmp, "none"), os.path.join(tmp, "nopass")], expect_ok=False,
                     env=dict(env, AERO_SIGNING_PFX=pfx))
        check(result.returncode != 0 and "AERO_SIGNING_PFX_PASSWORD" in result.stdout,
              f"a missing PFX password was not reported:\n{result.stdout}")


def identity_sha256(ctx):
    """The optional SHA-256 test identity signs packages that verify like the SHA-1 one."""
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        identity = os.path.join(tmp, "identity")
        run(["bash", os.path.join(ctx.c["signing_dir"], "make-test-identity.sh"), identity,
             "sha256"])
        for name in ("root.pem", "publisher.pem"):
            text = run([ctx.tool("openssl"), "x509", "-noout", "-text", "-in",
                        os.path.join(identity, name)]).stdout
            check("Signature Algorithm: sha256WithRSAEncryption" in text,
                  f"{name} is not SHA-256 signed")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AERO_SIGNING_PFX")}
        certs = os.path.join(tmp, "certs")
        folder = sign_with(ctx, tmp, identity, certs, env)
        result = verify_in_catalog(ctx, os.path.join(folder, f"{TEST_NAME}.sys"),
                                   os.path.join(folder, f"{TEST_NAME}.cat"),
                                   os.path.join(certs, "root.pem"), ctx.publisher_sha1(certs))
        check(result.returncode == 0, f"SHA-256 identity:\n{result.stdout}")
        result = verify_in_catalog(ctx, os.path.join(folder, f"{TEST_NAME}.sys"),
                                   os.path.join(folder, f"{TEST_NAME}.cat"),
                                   os.path.join(ctx.certs, "root.pem"), ctx.publisher_sha1(certs))
        check(result.returncode != 0, "a package verified against another identity's root")


# --- refusals -------------------------------------------------------------------------------

def expect_refusal(result, words, what):
    check(result.returncode == 1, f"{what}: exit status {result.returncode}, not 1:\n{result.stdout}")
    for word in words:
        check(word in result.stdout, f"{what}: message lacks '{word}':\n{result.stdout}")


def copy_packages(ctx, tmp):
    target = os.path.join(tmp, "packages")
    shutil.copytree(ctx.packages("sha1"), target, symlinks=True)
    return target


def refusal_outputs_absent(out_dir):
    left = listing(out_dir) if os.path.isdir(out_dir) else []
    check(left == [], f"a refused run left {left} in {out_dir}")


def refuses_private_key(ctx):
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        packages = copy_packages(ctx, tmp)
        shutil.copyfile(os.path.join(ctx.identity, "publisher.pfx"),
                        os.path.join(packages, TEST_NAME, "amd64", "signing.pfx"))
        result = ctx.build_media(os.path.join(tmp, "out"), packages, expect_ok=False)
        expect_refusal(result, ["signing.pfx"], "a PFX in a driver package")
        refusal_outputs_absent(os.path.join(tmp, "out"))

        pem = os.path.join(tmp, "notes.txt")
        shutil.copyfile(os.path.join(ctx.identity, "publisher.key"), pem)
        result = ctx.build_media(os.path.join(tmp, "out"), extra_files=[("notes.txt", pem)],
                                 expect_ok=False)
        expect_refusal(result, ["PEM private key", "never go onto the media"],
                       "a PEM key named .txt")
        result = ctx.build_media(os.path.join(tmp, "out"), extra_files=[
            ("certs/key.cer", os.path.join(ctx.identity, "publisher.pfx"))], expect_ok=False)
        expect_refusal(result, ["private key"], "a PFX passed as a certificate")
        refusal_outputs_absent(os.path.join(tmp, "out"))


def refuses_symlink(ctx):
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        packages = copy_packages(ctx, tmp)
        sys_path = os.path.join(packages, TEST_NAME, "x86", f"{TEST_NAME}.sys")
        os.rename(sys_path, os.path.join(tmp, "real.sys"))
        os.symlink(os.path.join(tmp, "real.sys"), sys_path)
        result = ctx.build_media(os.path.join(tmp, "out"), packages, expect_ok=False)
        expect_refusal(result, ["symbolic link"], "a symlinked driver image")
        link = os.path.join(tmp, "readme-link.txt")
        os.symlink(ctx.c["readme"], link)
        result = ctx.build_media(os.path.join(tmp, "out"), extra_files=[("extra.txt", link)],
                                 expect_ok=False)
        expect_refusal(result, ["symbolic link"], "a symlinked script")
        refusal_outputs_absent(os.path.join(tmp, "out"))


def refuses_unexpected_file(ctx):
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        packages = copy_packages(ctx, tmp)
        stray = os.path.join(packages, TEST_NAME, "amd64", "build.log")
        open(stray, "w").write("left over\n")
        result = ctx.build_media(os.path.join(tmp, "out"), packages, expect_ok=False)
        expect_refusal(result, ["unexpected file", "build.log"], "a stray file in a package")
        tool = os.path.join(tmp, "tool.exe")
        open(tool, "wb").write(b"MZ")
        result = ctx.build_media(os.path.join(tmp, "out"), extra_files=[("tool.exe", tool)],
                                 expect_ok=False)
        expect_refusal(result, ["unexpected file", "tool.exe"], "an .exe on the media")
        refusal_outputs_absent(os.path.join(tmp, "out"))


def refuses_missing_file(ctx):
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        folder = os.path.join(tmp, TEST_NAME, "amd64")
        os.makedirs(folder)
        inf = os.path.join(folder, f"{TEST_NAME}.inf")
        shutil.copyfile(ctx.c["test_inf"], inf)
        result = run([ctx.tool("catalog"), "--inf", inf, "--arch", "amd64", "--time", EPOCH],
                     expect_ok=False)
        expect_refusal(result, [f"'{TEST_NAME}.sys'", "[SourceDisksFiles.amd64]",
                                "is not in the package"], "aero-catalog with a missing .sys")
        check(listing(folder) == [f"{TEST_NAME}.inf"], f"aero-catalog left {listing(folder)}")
        ctx.stage_and_sign(tmp, "amd64", "sha1")
        os.remove(os.path.join(folder, f"{TEST_NAME}.sys"))
        os.remove(os.path.join(folder, f"{TEST_NAME}.cat"))
        result = run(["bash", os.path.join(ctx.c["signing_dir"], "sign-driver-package.sh"),
                      "--inf", inf, "--arch", "amd64", "--time", EPOCH,
                      "--catalog-tool", ctx.tool("catalog"), "--identity", ctx.identity,
                      "--certs", ctx.certs], expect_ok=False)
        check(result.returncode != 0, "sign-driver-package.sh signed a package without its .sys")
        check("is not in the package" in result.stdout, f"message:\n{result.stdout}")
        check(listing(folder) == [f"{TEST_NAME}.inf"], f"signing left {listing(folder)}")


CASES = {
    "fixture_identity": fixture_identity,
    "fixture_packages": fixture_packages,
    "fixture_media": fixture_media,
    "catalog_members_x86": lambda ctx: catalog_members(ctx, "x86"),
    "catalog_members_amd64": lambda ctx: catalog_members(ctx, "amd64"),
    "catalog_structure_x86": lambda ctx: catalog_structure(ctx, "x86"),
    "catalog_structure_amd64": lambda ctx: catalog_structure(ctx, "amd64"),
    "sys_signatures_x86": lambda ctx: sys_signatures(ctx, "x86"),
    "sys_signatures_amd64": lambda ctx: sys_signatures(ctx, "amd64"),
    "media_listing": media_listing,
    "determinism": determinism,
    "product_media": product_media,
    "user_pfx": user_pfx,
    "identity_sha256": identity_sha256,
    "refuses_private_key": refuses_private_key,
    "refuses_symlink": refuses_symlink,
    "refuses_unexpected_file": refuses_unexpected_file,
    "refuses_missing_file": refuses_missing_file,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("case", choices=sorted(CASES))
    args = parser.parse_args()
    with open(args.config) as f:
        ctx = Context(json.load(f))
    try:
        CASES[args.case](ctx)
    except Failure as failure:
        print(f"FAIL {args.case}: {failure}", file=sys.stderr)
        return 1
    print(f"PASS {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
