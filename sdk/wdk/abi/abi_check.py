#!/usr/bin/env python3
"""ABI conformance check of the project's WDK declarations against the Windows 7 WDK facts.

1. clang dumps the AST of sdk/wdk/abi/all_headers.h for the target (i686 or x86_64 mingw), which
   tells exactly what the project declares: records and their field paths, enumerators, functions
   and callback types; object-like #defines are read from the header files.
2. Every declared item is matched with ../shared/wdk-abi/wdk-abi-win7.json and turned into a
   static_assert (size, alignment, field offset, constant or enumerator value, prototype and calling
   convention). Items the facts do not have need an entry in allowlist.txt with a reason.
3. The generated file is compiled with the mingw-w64 compiler of that architecture, so the check
   is made by the compiler that builds the drivers. A failure names the type, field or function.

Exit status: 0 conformant, 1 a check failed (or an unlisted/unused allowlist item), 2 usage error.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ARCHS = {
    "x86": {"clang_target": "i686-w64-windows-gnu", "gcc": "i686-w64-mingw32-g++-win32", "ptr": 4},
    "x64": {"clang_target": "x86_64-w64-windows-gnu", "gcc": "x86_64-w64-mingw32-g++-win32", "ptr": 8},
}

# Windows LLP64 sizes of the basic typedefs (not part of the facts file, which covers records).
BASIC_SIZES = {
    "CHAR": 1, "CCHAR": 1, "UCHAR": 1, "BOOLEAN": 1, "KIRQL": 1, "KPROCESSOR_MODE": 1,
    "SHORT": 2, "CSHORT": 2, "USHORT": 2, "WCHAR": 2,
    "INT": 4, "UINT": 4, "LONG": 4, "ULONG": 4, "NTSTATUS": 4, "LOGICAL": 4, "LCID": 4,
    "KPRIORITY": 4, "SECURITY_INFORMATION": 4,
    "LONGLONG": 8, "ULONGLONG": 8,
    "LONG_PTR": "ptr", "ULONG_PTR": "ptr", "SIZE_T": "ptr", "SSIZE_T": "ptr", "KAFFINITY": "ptr",
    "KSPIN_LOCK": "ptr", "HANDLE": "ptr", "PVOID": "ptr", "PSECURITY_DESCRIPTOR": "ptr", "PSID": "ptr",
}
BASIC_SIGNED = {"CHAR", "CCHAR", "SHORT", "CSHORT", "INT", "LONG", "NTSTATUS", "KPRIORITY",
                "LONGLONG", "LONG_PTR", "SSIZE_T"}
BASIC_UNSIGNED = {"UCHAR", "BOOLEAN", "KIRQL", "USHORT", "WCHAR", "UINT", "ULONG", "LOGICAL",
                  "ULONGLONG", "ULONG_PTR", "SIZE_T", "KAFFINITY", "KSPIN_LOCK", "LCID",
                  "SECURITY_INFORMATION"}
OPAQUE_FIELD_PREFIX = "AeroOpaque"  # storage-only members of internal kernel objects


class Fail(Exception):
    pass


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


# ---------------------------------------------------------------- AST ----
class Ast:
    """Declarations of the project's headers, read from clang's JSON AST dump."""

    def __init__(self, root, include_dir):
        self.include_dir = os.path.realpath(include_dir)
        self.cur_file = None
        self.records = {}        # id -> RecordDecl node (complete definitions only)
        self.tag_to_record = {}  # tag name -> id
        self.typedefs = {}       # name -> node
        self.functions = {}      # name -> node
        self.enum_constants = {}  # name -> (enum node)
        self.has_body = {}       # function name -> defined inline in the header
        self._walk(root, depth=0, ours=False)

    def _note_file(self, loc):
        if not isinstance(loc, dict):
            return
        for key in ("spellingLoc", "expansionLoc"):
            if key in loc:
                self._note_file(loc[key])
        if "file" in loc:
            self.cur_file = loc["file"]

    def _is_ours(self):
        if not self.cur_file:
            return False
        path = os.path.realpath(os.path.join(self.include_dir, self.cur_file)) \
            if not os.path.isabs(self.cur_file) else os.path.realpath(self.cur_file)
        return path.startswith(self.include_dir + os.sep)

    def _walk(self, node, depth, ours):
        loc = node.get("loc")
        if loc is not None:
            self._note_file(loc)
            if loc:
                ours = self._is_ours()
        rng = node.get("range") or {}
        self._note_file(rng.get("begin"))
        self._note_file(rng.get("end"))
        kind = node.get("kind")
        if ours and not node.get("isImplicit"):
            name = node.get("name")
            if kind in ("CXXRecordDecl", "RecordDecl") and node.get("completeDefinition"):
                self.records[node["id"]] = node
                if name:
                    self.tag_to_record[name] = node["id"]
            elif kind == "TypedefDecl" and name:
                self.typedefs[name] = node
            elif kind == "FunctionDecl" and name:
                self.functions[name] = node
                self.has_body[name] = any(c.get("kind") == "CompoundStmt" for c in node.get("inner", []))
            elif kind == "EnumDecl":
                for c in node.get("inner", []):
                    if c.get("kind") == "EnumConstantDecl":
                        self.enum_constants[c["name"]] = node
        for child in node.get("inner", []) or []:
            if isinstance(child, dict) and "kind" in child and child["kind"].endswith("Decl"):
                self._walk(child, depth + 1, ours)
            elif isinstance(child, dict):
                self._scan_types(child)

    def _scan_types(self, node):
        # Type nodes carry locations too; keep the current file in step.
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("loc",):
                    self._note_file(v)
                elif k == "range" and isinstance(v, dict):
                    self._note_file(v.get("begin"))
                    self._note_file(v.get("end"))
                elif isinstance(v, (dict, list)) and k != "includedFrom":
                    self._scan_types(v)
        elif isinstance(node, list):
            for v in node:
                self._scan_types(v)

    def typedef_record(self, name):
        """Record id a typedef names (through ElaboratedType/RecordType), or None."""
        td = self.typedefs.get(name)
        if not td:
            return None
        stack = list(td.get("inner", []))
        while stack:
            t = stack.pop(0)
            if t.get("kind") == "PointerType":
                return None
            owned = t.get("ownedTagDecl") or t.get("decl")
            if owned and owned.get("kind") in ("CXXRecordDecl", "RecordDecl"):
                rid = owned["id"]
                if rid in self.records:
                    return rid
                tag = owned.get("name")
                return self.tag_to_record.get(tag)
            stack.extend(t.get("inner", []))
        return None

    def is_function_typedef(self, name):
        qt = self.typedefs[name]["type"].get("desugaredQualType") or self.typedefs[name]["type"]["qualType"]
        return bool(re.search(r"\)\s*(__attribute__\(\(\w+\)\))?\s*$", qt)) and "(*)" not in qt \
            and not qt.startswith(("struct", "union", "enum"))

    def record_for_type(self, qual_type, previous_record):
        qt = re.sub(r"\b(const|volatile)\b", "", qual_type).strip()
        if "[" in qt or qt.endswith("*"):
            return None
        if "(unnamed" in qt or "(anonymous" in qt:
            return previous_record
        m = re.match(r"^(struct|union)\s+(\w+)$", qt)
        if m:
            return self.tag_to_record.get(m.group(2))
        if re.match(r"^\w+$", qt):
            return self.typedef_record(qt)
        return None

    def field_paths(self, rid, prefix=""):
        """Yields (path, is_bitfield) for every named field, flattening anonymous members."""
        previous = None
        for child in self.records[rid].get("inner", []):
            kind = child.get("kind")
            if kind in ("CXXRecordDecl", "RecordDecl"):
                if child.get("completeDefinition"):
                    previous = child["id"]
                    self.records.setdefault(previous, child)
                continue
            if kind != "FieldDecl":
                continue
            name = child.get("name")
            sub = self.record_for_type(child["type"]["qualType"], previous)
            if not name:
                if sub:
                    yield from self.field_paths(sub, prefix)
                continue
            path = prefix + name
            yield path, bool(child.get("isBitfield"))
            if sub:
                yield from self.field_paths(sub, path + ".")


def object_like_macros(include_dir):
    """NAME -> value text for object-like #defines with a value, from the header files."""
    macros = {}
    for root, _, files in os.walk(include_dir):
        for f in sorted(files):
            if not f.endswith(".h"):
                continue
            for line in open(os.path.join(root, f), encoding="utf-8"):
                m = re.match(r"^\s*#\s*define\s+([A-Za-z_]\w*)(?!\()\s+(.+?)\s*$", line)
                if m:
                    macros[m.group(1)] = m.group(2)
    return macros


def is_constant_expression(text):
    """A numeric literal, possibly cast, or arithmetic on literals and other names."""
    if re.search(r"__\w+|DECLSPEC|\w\s*\(\s*\w", text.replace("(NTSTATUS)", "")):
        return False
    return bool(re.search(r"\b(0x[0-9A-Fa-f]+|\d+)", text)) and \
        bool(re.match(r"^[\w\s\+\-\*\|&<>~\(\)]+$", text))


# ---------------------------------------------------------- allowlist ----
def load_allowlist(path, arch):
    entries = {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\w+)\s+(\S+)(?:\s+arch=(x86|x64))?\s+--\s+(.+)$", line)
        if not m:
            raise Fail(f"{path}:{n}: expected '<kind> <name> [arch=x86|x64] -- <reason>'")
        kind, name, only, reason = m.groups()
        if only and only != arch:
            continue
        entries[(kind, name)] = {"reason": reason, "line": n, "used": False}
    return entries


def load_exports(def_dir, arch):
    """module -> {export name: decorated x86 form} from sdk/wdk/lib/*.def.in for one arch."""
    sys.path.insert(0, def_dir)
    from gen_def import convert  # the same conversion the build uses
    exports = {}
    for f in sorted(os.listdir(def_dir)):
        if not f.endswith(".def.in"):
            continue
        lines = convert(open(os.path.join(def_dir, f), encoding="utf-8").read().splitlines(), arch)
        module = next(l.split()[1] for l in lines if l.startswith("LIBRARY"))
        names = {}
        for line in lines:
            if line.startswith("LIBRARY") or line == "EXPORTS":
                continue
            decorated = line.split()[0]
            names[re.sub(r"@\d+$", "", decorated.lstrip("@"))] = decorated
        exports[module] = names
    return exports


# ------------------------------------------------------------ checks ----
def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expected_fn_pointer(entry, arch):
    ftype = entry["type"].replace("__attribute__((noreturn))", "").strip()
    m = re.match(r"^(.*?)\s*\((.*)\)$", ftype)
    if not m:
        return None
    ret, params = m.group(1), m.group(2)
    if ret.endswith("(*"):  # already a pointer typedef form 'R (*)(A)'
        return None
    cc = ""
    if arch == "x86" and entry["cc"] in ("stdcall", "fastcall"):
        cc = f"__attribute__(({entry['cc']})) "
    return f"{ret} ({cc}*)({params})"


def generate(args, facts, ast, macros, allow):
    arch = args.arch
    types = facts[arch]
    consts = facts["constants"][arch]
    fns = facts["functions"][arch]
    enum_values = {}
    for enum in facts["enums"][arch].values():
        enum_values.update(enum)

    out = [f"// Generated by sdk/wdk/abi/abi_check.py for {arch}. Do not edit.",
           '#include "all_headers.h"', ""]
    stats = {k: [0, 0, 0] for k in ("types", "fields", "basic", "constants", "enumerators",
                                    "functions", "callbacks", "bitfields", "exports")}
    problems = []

    def allowed(kind, name):
        e = allow.get((kind, name))
        if e:
            e["used"] = True
            return True
        return False

    def sa(cond, msg):
        out.append(f"static_assert({cond}, {c_string(f'ABI {arch}: ' + msg)});")

    # Records.
    for name in sorted(ast.typedefs):
        rid = ast.typedef_record(name)
        if rid is None or ast.is_function_typedef(name):
            continue
        stats["types"][0] += 1
        fact = types.get(name)
        if fact is None:
            if allowed("type", name):
                stats["types"][2] += 1
            else:
                problems.append(f"type {name}: not in the facts; add it to the allowlist with a reason")
            continue
        stats["types"][1] += 1
        sa(f"sizeof({name}) == {fact['size']}", f"{name}: size is not {fact['size']}")
        sa(f"alignof({name}) == {fact['align']}", f"{name}: alignment is not {fact['align']}")
        bitfields = fact.get("bitfields", {})
        for path, is_bitfield in ast.field_paths(rid):
            leaf = path.rsplit(".", 1)[-1]
            if leaf.startswith(OPAQUE_FIELD_PREFIX):
                continue
            key = f"{name}.{path}"
            if is_bitfield or path in bitfields:
                stats["bitfields"][0] += 1
                if allowed("bitfield", key):
                    stats["bitfields"][2] += 1
                else:
                    problems.append(f"bitfield {key}: bit positions cannot be checked statically; "
                                    f"allowlist it with a reason")
                continue
            stats["fields"][0] += 1
            if path not in fact["fields"]:
                if allowed("field", key):
                    stats["fields"][2] += 1
                else:
                    problems.append(f"field {key}: not in the facts (a name the WDK does not use?)")
                continue
            stats["fields"][1] += 1
            off = fact["fields"][path]
            sa(f"__builtin_offsetof({name}, {path}) == {off}", f"{key}: offset is not {off}")

    # Basic typedefs.
    for name in sorted(ast.typedefs):
        if name not in BASIC_SIZES:
            continue
        stats["basic"][0] += 1
        stats["basic"][1] += 1
        size = BASIC_SIZES[name]
        size = ARCHS[arch]["ptr"] if size == "ptr" else size
        sa(f"sizeof({name}) == {size}", f"basic type {name}: size is not {size}")
        if name in BASIC_SIGNED:
            sa(f"({name})-1 < 0", f"basic type {name}: must be signed")
        elif name in BASIC_UNSIGNED:
            sa(f"({name})-1 > 0", f"basic type {name}: must be unsigned")

    # Constants (object-like macros with a numeric value).
    for name in sorted(macros):
        if name.startswith("AERO_WDK_") or not is_constant_expression(macros[name]):
            continue
        stats["constants"][0] += 1
        if name in consts:
            stats["constants"][1] += 1
            v = consts[name]
            sa(f"(long long)({name}) == {v}LL", f"constant {name}: value is not {v}")
        elif allowed("constant", name):
            stats["constants"][2] += 1
        else:
            problems.append(f"constant {name}: not in the facts; allowlist it with a reason")

    # Enumerators.
    for name in sorted(ast.enum_constants):
        stats["enumerators"][0] += 1
        if name in enum_values:
            stats["enumerators"][1] += 1
            v = enum_values[name]
            sa(f"(long long)({name}) == {v}LL", f"enumerator {name}: value is not {v}")
        elif allowed("enumerator", name):
            stats["enumerators"][2] += 1
        else:
            problems.append(f"enumerator {name}: not in the facts; allowlist it with a reason")

    # Functions.
    for name in sorted(ast.functions):
        stats["functions"][0] += 1
        entry = fns.get(name)
        pointer = expected_fn_pointer(entry, arch) if entry and entry["kind"] == "function" else None
        if pointer:
            stats["functions"][1] += 1
            sa(f"__is_same(decltype(&{name}), {pointer})",
               f"function {name}: prototype or calling convention differs from "
               f"{entry['cc']} {entry['type']}")
        elif allowed("function", name):
            stats["functions"][2] += 1
        else:
            problems.append(f"function {name}: not in the facts for {arch}; allowlist it with a reason")

    # Callback (function) typedefs.
    for name in sorted(ast.typedefs):
        if not ast.is_function_typedef(name):
            continue
        stats["callbacks"][0] += 1
        entry = fns.get(name)
        pointer = expected_fn_pointer(entry, arch) if entry else None
        if pointer:
            stats["callbacks"][1] += 1
            sa(f"__is_same({name}*, {pointer})", f"callback type {name}: differs from {entry['type']}")
        elif allowed("callback", name):
            stats["callbacks"][2] += 1
        else:
            problems.append(f"callback type {name}: not in the facts; allowlist it with a reason")

    # Every function the headers declare without a body must be exported by exactly one module's
    # .def for this architecture, with the decoration the compiler gives its prototype (x86).
    exports = load_exports(args.def_dir, arch)
    for name in sorted(ast.functions):
        if ast.has_body.get(name):
            continue
        stats["exports"][0] += 1
        owners = [m for m, names in exports.items() if name in names]
        if len(owners) != 1:
            problems.append(f"function {name}: declared without a body but exported by "
                            f"{len(owners)} module .def files for {arch} ({', '.join(owners) or 'none'})")
            continue
        if arch == "x86":
            mangled = ast.functions[name].get("mangledName", "")
            listed = exports[owners[0]][name]
            expected = mangled[1:] if mangled.startswith("_") else mangled
            if listed != expected:
                problems.append(f"function {name}: {owners[0]} lists '{listed}' but the prototype "
                                f"decorates as '{expected}'")
                continue
        stats["exports"][1] += 1

    for (kind, name), e in sorted(allow.items()):
        if not e["used"]:
            problems.append(f"allowlist line {e['line']}: '{kind} {name}' matches nothing declared; remove it")
    return "\n".join(out) + "\n", stats, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=sorted(ARCHS), required=True)
    ap.add_argument("--facts", required=True)
    ap.add_argument("--include-dir", default=os.path.join(HERE, "..", "include"))
    ap.add_argument("--kcrt-include", default=os.path.join(HERE, "..", "..", "..", "lib", "kcrt", "include"))
    ap.add_argument("--allowlist", default=os.path.join(HERE, "allowlist.txt"))
    ap.add_argument("--def-dir", default=os.path.join(HERE, "..", "lib"),
                    help="folder of the <module>.def.in export lists")
    ap.add_argument("--work-dir", required=True, help="where the generated check is written")
    args = ap.parse_args()

    arch = ARCHS[args.arch]
    try:
        facts = json.load(open(args.facts, encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"abi_check: cannot read facts {args.facts}: {e}", file=sys.stderr)
        return 2
    os.makedirs(args.work_dir, exist_ok=True)
    include_dir = os.path.abspath(args.include_dir)
    umbrella = os.path.join(HERE, "all_headers.h")
    shutil.copyfile(umbrella, os.path.join(args.work_dir, "all_headers.h"))

    resource = run(["clang", "-print-resource-dir"]).stdout.strip()
    dump = run(["clang++", "-x", "c++", "-std=c++20", f"--target={arch['clang_target']}",
                "-fsyntax-only", "-ffreestanding", "-nostdinc", "-isystem", args.kcrt_include,
                "-isystem", os.path.join(resource, "include"), "-I", include_dir,
                "-Xclang", "-ast-dump=json", umbrella])
    if dump.returncode != 0:
        print(f"abi_check: clang could not parse the headers:\n{dump.stderr}", file=sys.stderr)
        return 1
    ast = Ast(json.loads(dump.stdout), include_dir)
    try:
        allow = load_allowlist(args.allowlist, args.arch)
    except Fail as e:
        print(f"abi_check: {e}", file=sys.stderr)
        return 2
    source, stats, problems = generate(args, facts, ast, object_like_macros(include_dir), allow)
    check_cpp = os.path.join(args.work_dir, f"abi_check_{args.arch}.cpp")
    with tempfile.NamedTemporaryFile("w", dir=args.work_dir, delete=False, suffix=".tmp") as tmp:
        tmp.write(source)
    os.replace(tmp.name, check_cpp)

    gcc = arch["gcc"]
    gcc_include = run([gcc, "-print-file-name=include"]).stdout.strip()
    compile_ = run([gcc, "-std=c++20", "-fsyntax-only", "-ffreestanding", "-nostdinc",
                    "-isystem", args.kcrt_include, "-isystem", gcc_include, "-I", include_dir,
                    "-I", args.work_dir, "-fmax-errors=50", check_cpp])
    print(f"WDK ABI conformance ({args.arch}), declared / verified against the facts / allowlisted:")
    for k, (declared, verified, allowlisted) in stats.items():
        print(f"  {k:12} {declared:5} declared {verified:5} verified {allowlisted:4} allowlisted")
    failed = False
    if problems:
        failed = True
        print(f"\n{len(problems)} declared item(s) cannot be verified:")
        for p in problems:
            print(f"  {p}")
    if compile_.returncode != 0:
        failed = True
        msgs = re.findall(r"static assertion failed: (ABI [^\n]*)", compile_.stderr)
        print(f"\n{args.arch}: {len(msgs) or 'compile'} mismatch(es) with the WDK facts:")
        for m in msgs:
            print(f"  {m}")
        if not msgs:
            print(compile_.stderr)
    if failed:
        print(f"\nFAIL: WDK declarations do not conform ({args.arch}); generated check: {check_cpp}")
        return 1
    print(f"PASS: WDK declarations conform to the facts ({args.arch})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
