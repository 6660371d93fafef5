#!/usr/bin/env python3
"""Lints Windows batch files for the mistakes that break cmd.exe, and for the constructs that
behave differently under Wine 8's cmd than under Windows 7 (see
../shared/reference/wine-testing-notes.md), so a script tested under Wine behaves the same on
Windows 7.

Usage: cmdlint.py [--fragment] FILE...     (exit code 0 clean, 1 findings, 2 usage or I/O error)
--fragment: the files are `call`ed by another script to set variables (config/devices.cmd): they
must not use setlocal, which would drop their variables on return.

Each finding is "FILE:LINE: RULE: message". Rules:
  crlf             every line ends in CR LF (cmd mis-finds labels in LF-only files)
  parens           unbalanced ( ) blocks, including a ")" in text that closes a block early
  quotes           odd number of double quotes on a line
  label-in-block   a :label or :: comment inside a ( ) block
  delayed          %VAR% in a block (or after "&") after VAR is set in the same statement,
                   or %ERRORLEVEL% after another command of the statement: use !VAR!
  setlocal         no setlocal before the first command (or setlocal in a --fragment file)
  unquoted-path    a path that may hold spaces or ( ) & (%~dp0, %ProgramFiles%, or a variable
                   set from one) used outside double quotes
  andand           && or || (Wine 8 runs the right side unconditionally)
  wine-command     findstr, where, choice, timeout, sort, or find /i /c /v /n (missing or
                   different under Wine 8)
  call-external    call of a program (Wine 8 reports ERRORLEVEL 1 for any non-zero exit code),
                   or an errorlevel test right after call of a batch file
  label            goto/call of a label that is not defined, or a label defined twice
  echo-paren       echo( prints "(" under Wine 8
  set-p-file       set /p VAR=<file reads the whole file under Wine 8
  delayed-modifier !VAR:~n,m! or !VAR:a=b! (garbage under Wine 8), or !..%%x..!
  for-set-bang     !VAR! inside a for ( ) set (not expanded the same way under Wine 8)
  for-if-block     for ... do if ... ( spanning lines (Wine 8 misparses it; wrap the body in ( ))
  for-quoted-glob  a quoted wildcard in a plain for set (matches nothing under Wine 8)
  if-chain-i       if COND if /i ... where the first if has no /i (a syntax error in Wine 8)
  if-block-after-inline-if
                   an if ( block after a one-line if (if COND command) in the same block
                   statement: Wine 8 then runs the block unconditionally
  exit-without-b   exit without /b closes the caller's window
  exit-b-code      exit /b without a code (Wine 8 returns 0, Windows keeps ERRORLEVEL)
"""

import re
import sys

SPACE_VARS = {
    "programfiles", "programfiles(x86)", "programw6432", "commonprogramfiles",
    "commonprogramfiles(x86)", "commonprogramw6432", "userprofile", "appdata", "localappdata",
    "temp", "tmp", "allusersprofile", "programdata", "public", "homepath", "cd", "systemroot",
    "windir",
}
WINE_MISSING = {"findstr", "where", "choice", "timeout", "sort"}
IF_KINDS = {"exist", "defined", "errorlevel", "cmdextversion"}
IF_OPERATORS = {"equ", "neq", "lss", "leq", "gtr", "geq"}
SEPARATORS = "&|"


class Finding:
    def __init__(self, path, line, rule, message):
        self.path, self.line, self.rule, self.message = path, line, rule, message

    def __str__(self):
        return "%s:%d: %s: %s" % (self.path, self.line, self.rule, self.message)


class Command:
    """One command of a logical line: a simple command, an if condition or a for header."""

    def __init__(self, kind, name, text, quoted, line, depth, statement, first):
        self.kind = kind          # "simple", "if", "for"
        self.name = name          # lower-case command name ("echo", "set", ...)
        self.text = text          # arguments (simple), condition (if), header (for)
        self.quoted = quoted      # per character of text: inside double quotes?
        self.line = line
        self.depth = depth        # block depth the command runs at
        self.statement = statement
        self.first = first        # first command of its statement?
        self.for_set = None       # for: the text of the ( ) set
        self.for_options = ""     # for: switches and options before the variable
        self.body_opens_block = False


class Parser:
    """A small model of cmd's phase-2 parser: blocks, quotes, ^ escapes, separators."""

    def __init__(self, path):
        self.path = path
        self.findings = []
        self.commands = []
        self.labels = {}          # lower-case name -> first line
        self.depth_stack = []     # lines where open blocks started
        self._if_body = None      # just after an if condition: did that if have /i?
        self._inline_if_line = None  # first one-line if inside a block of this statement
        self.statement = 0
        self.rem_lines = set()

    def add(self, line, rule, message):
        self.findings.append(Finding(self.path, line, rule, message))

    # ---- entry ------------------------------------------------------------------------------

    def parse(self, logical_lines):
        for line_no, text in logical_lines:
            if not self.depth_stack:
                self.statement += 1
                self._statement_has_command = False
                self._inline_if_line = None
            stripped = text.lstrip(" \t@")
            if stripped.startswith(":"):
                self._label_line(line_no, stripped)
                continue
            self._line(line_no, text)
        for opened in self.depth_stack:
            self.add(opened, "parens", "this ( block is never closed")

    def _label_line(self, line_no, stripped):
        if self.depth_stack:
            self.add(line_no, "label-in-block", "labels and :: comments break ( ) blocks")
        if stripped.startswith("::"):
            self.rem_lines.add(line_no)
            return
        name = re.split(r"[\s+=;,]", stripped[1:], 1)[0].lower()
        if name in self.labels:
            self.add(line_no, "label", ":%s is already defined on line %d"
                     % (name, self.labels[name]))
        else:
            self.labels[name] = line_no

    # ---- one logical line -------------------------------------------------------------------

    def _line(self, line_no, text):
        self._check_quotes(line_no, text)
        i, n = 0, len(text)
        at_command = True
        while i < n:
            if at_command:
                while i < n and text[i] in " \t@;,=":
                    i += 1
                if i >= n:
                    break
                c = text[i]
                after_if, self._if_body = self._if_body, None
                if c == "(":
                    if after_if is not None and self._inline_if_line is not None:
                        self.add(line_no, "if-block-after-inline-if",
                                 "Wine 8 runs this if ( block unconditionally because of the "
                                 "one-line if on line %d in the same block; put that if's "
                                 "command in ( )" % self._inline_if_line)
                    self.depth_stack.append(line_no)
                    i += 1
                    continue
                if c == ")":
                    i = self._close_block(line_no, text, i)
                    if i < 0:
                        i = -i
                        at_command = True
                    else:
                        at_command = False
                        i = self._simple(line_no, text, i, ")")
                        at_command = True
                    continue
                if c in "<>" or (c.isdigit() and i + 1 < n and text[i + 1] in "<>"):
                    i = self._skip_redirection(text, i)
                    continue
                if c in SEPARATORS:
                    i = self._separator(line_no, text, i)
                    continue
                word, j = self._read_word(text, i)
                lower = word.lower()
                if lower == "rem" or lower.startswith("rem") and lower[3:4] in (":", "."):
                    self.rem_lines.add(line_no)
                    self._record("simple", "rem", "", [], line_no)
                    return
                if lower == "if":
                    i = self._if(line_no, text, j, after_if)
                    continue
                if after_if is not None and self.depth_stack and self._inline_if_line is None:
                    self._inline_if_line = line_no
                if lower == "for":
                    i = self._for(line_no, text, j)
                    continue
                i = self._simple(line_no, text, j, lower)
                continue
            i += 1

    def _record(self, kind, name, text, quoted, line_no):
        command = Command(kind, name, text, quoted, line_no, len(self.depth_stack),
                          self.statement, not self._statement_has_command)
        self._statement_has_command = True
        self.commands.append(command)
        return command

    def _close_block(self, line_no, text, i):
        """Handles ")" at command position; returns -(next index) if "else" follows."""
        if self.depth_stack:
            self.depth_stack.pop()
        else:
            self.add(line_no, "parens", "')' closes no block (is a ')' in text inside a "
                     "block closing it early?)")
        i += 1
        j = i
        while j < len(text) and text[j] in " \t":
            j += 1
        if re.match(r"else(?=[\s(]|$)", text[j:], re.I):
            return -(j + 4)
        return i

    def _separator(self, line_no, text, i):
        if text[i:i + 2] in ("&&", "||"):
            self.add(line_no, "andand", "%s: Wine 8 runs the right-hand command whatever the "
                     "result; test errorlevel on the next line" % text[i:i + 2])
            return i + 2
        return i + 1

    @staticmethod
    def _skip_redirection(text, i):
        n = len(text)
        if text[i].isdigit():
            i += 1
        while i < n and text[i] in "<>":
            i += 1
        if i < n and text[i] == "&":
            i += 1
            while i < n and text[i].isdigit():
                i += 1
            return i
        while i < n and text[i] in " \t":
            i += 1
        _, i = Parser._read_word(text, i)
        return i

    @staticmethod
    def _read_word(text, i):
        """A command word: quoted parts kept, ends at white space or an unquoted special."""
        start, n, quoted = i, len(text), False
        while i < n:
            c = text[i]
            if c == '"':
                quoted = not quoted
            elif not quoted:
                if c == "^":
                    i += 2
                    continue
                if c in " \t&|()<>":
                    break
            i += 1
        return text[start:i], i

    def _scan_args(self, text, i, stop_at_paren):
        """Arguments up to an unquoted separator (or ")" inside a block): (end, quoted map)."""
        n, quoted, flags = len(text), False, []
        start = i
        while i < n:
            c = text[i]
            if c == '"':
                quoted = not quoted
                flags.append(True)
                i += 1
                continue
            if not quoted:
                if c == "^" and i + 1 < n:
                    flags.extend([False, False])
                    i += 2
                    continue
                if c in "<>":
                    j = i + 1
                    while j < n and text[j] in "<>":
                        j += 1
                    if j < n and text[j] == "&":
                        j += 1
                    flags.extend([False] * (j - i))
                    i = j
                    continue
                if c in SEPARATORS:
                    break
                if c == ")" and stop_at_paren:
                    break
            flags.append(quoted)
            i += 1
        return i, text[start:i], flags

    def _simple(self, line_no, text, i, name):
        end, args, flags = self._scan_args(text, i, bool(self.depth_stack))
        command_name = name
        if name.startswith("echo") and len(name) > 4 and name[4] in ".,:;/(":
            command_name = "echo"
        if name == "echo" and args.startswith("("):
            self.add(line_no, "echo-paren", 'echo( prints "(" under Wine 8; use echo.')
        if name.startswith("echo("):
            self.add(line_no, "echo-paren", 'echo( prints "(" under Wine 8; use echo.')
        self._record("simple", command_name, args, flags, line_no)
        return end

    def _if(self, line_no, text, i, after_if=None):
        """after_if: this if is the command of an if whose condition had /i (True) or not."""
        n = len(text)
        start = i

        def skip_space(k):
            while k < n and text[k] in " \t":
                k += 1
            return k

        def token(k):
            quoted = False
            while k < n:
                c = text[k]
                if c == '"':
                    quoted = not quoted
                elif not quoted:
                    if c == "^":
                        k += 2
                        continue
                    if c in " \t" or text.startswith("==", k):
                        break
                k += 1
            return k

        i = skip_space(i)
        has_i = False
        for optional in ("/i", "not"):
            if text[i:i + len(optional)].lower() == optional and \
                    (i + len(optional) >= n or text[i + len(optional)] in " \t"):
                i = skip_space(i + len(optional))
                has_i = has_i or optional == "/i"
        if after_if is False and has_i:
            self.add(line_no, "if-chain-i", "'if ... if /i' where the first if has no /i is a "
                     "syntax error under Wine 8; give the first if /i as well")
        word_end = token(i)
        if text[i:word_end].lower() in IF_KINDS:
            i = token(skip_space(word_end))
        else:
            i = skip_space(token(i))
            if text.startswith("==", i):
                i = skip_space(i + 2)
            else:
                op_end = token(i)
                if text[i:op_end].lower() in IF_OPERATORS:
                    i = skip_space(op_end)
            i = token(i)
        condition = text[start:i]
        self._record("if", "if", condition, _quote_map(condition), line_no)
        self._if_body = has_i
        return i

    def _for(self, line_no, text, i):
        n = len(text)
        match = re.compile(r"\sin\s*\(", re.I).search(text, i)
        if not match:
            self.add(line_no, "parens", "for without an 'in ( )' set")
            return n
        header = text[i:match.start()]
        j = match.end()
        set_start, quoted = j, False
        while j < n:
            c = text[j]
            if c == '"':
                quoted = not quoted
            elif not quoted:
                if c == "^":
                    j += 2
                    continue
                if c == ")":
                    break
            j += 1
        if j >= n:
            self.add(line_no, "parens", "the for ( ) set is not closed on this line")
            return n
        for_set = text[set_start:j]
        command = self._record("for", "for", header + " in (" + for_set + ")",
                               _quote_map(header + " in (" + for_set + ")"), line_no)
        command.for_set = for_set
        command.for_options = header
        do = re.compile(r"\s*do(?=[\s(]|$)", re.I).match(text, j + 1)
        if not do:
            self.add(line_no, "parens", "for without 'do'")
            return n
        k = do.end()
        body = text[k:].lstrip()
        if re.match(r"if\s", body, re.I):
            rest = body
            if re.search(r"\(\s*$", rest):
                self.add(line_no, "for-if-block", "Wine 8 misparses 'for ... do if ... (' "
                         "spanning lines; write 'for ... do (' with the if inside")
        return k

    def _check_quotes(self, line_no, text):
        stripped = text.lstrip(" \t@").lower()
        if re.match(r"(rem|::)(\s|$)", stripped):
            return
        count, i = 0, 0
        quoted = False
        while i < len(text):
            c = text[i]
            if c == "^" and not quoted:
                i += 2
                continue
            if c == '"':
                count += 1
                quoted = not quoted
            i += 1
        if count % 2:
            self.add(line_no, "quotes", "odd number of double quotes (%d)" % count)


def _quote_map(text):
    flags, quoted, i = [], False, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            quoted = not quoted
            flags.append(True)
        elif c == "^" and not quoted and i + 1 < len(text):
            flags.extend([False, False])
            i += 2
            continue
        else:
            flags.append(quoted)
        i += 1
    return flags


# ---- references -------------------------------------------------------------------------------

class Ref:
    def __init__(self, kind, name, start, end, raw):
        self.kind = kind    # "pct" %NAME%, "bang" !NAME!, "param" %~dp0 / %1
        self.name = name    # lower-case variable name (before any :modifier)
        self.start, self.end, self.raw = start, end, raw


PARAM = re.compile(r"%~([fdpnxsatz]*(?:\$[^:]+:)?[fdpnxsatz]*)([0-9])", re.I)


def references(text):
    refs, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "%":
            if text.startswith("%%", i):
                i += 2
                if i < n and text[i] == "~":
                    m = re.match(r"~[a-z$:]*[a-z]", text[i:], re.I)
                    i += m.end() if m else 1
                else:
                    i += 1
                continue
            if i + 1 < n and (text[i + 1].isdigit() or text[i + 1] == "*"):
                refs.append(Ref("param", text[i + 1], i, i + 2, text[i:i + 2]))
                i += 2
                continue
            m = PARAM.match(text, i)
            if m:
                refs.append(Ref("param", m.group(1).lower(), i, m.end(), m.group(0)))
                i = m.end()
                continue
            end = text.find("%", i + 1)
            if end < 0:
                break
            body = text[i + 1:end]
            name = body.split(":", 1)[0].lower()
            if name and not any(ch in name for ch in " \t\"'"):
                refs.append(Ref("pct", name, i, end + 1, text[i:end + 1]))
                i = end + 1
                continue
            i += 1
            continue
        if c == "!":
            end = text.find("!", i + 1)
            if end < 0:
                break
            body = text[i + 1:end]
            name = body.split(":", 1)[0].lower()
            if name and not any(ch in name for ch in " \t\"'"):
                refs.append(Ref("bang", name, i, end + 1, text[i:end + 1]))
                i = end + 1
                continue
            i += 1
            continue
        i += 1
    return refs


SET_TARGET = re.compile(r'\s*(/a\s+|/p\s+)?"?\s*([^\s="+\-*/%&|^<>]+)', re.I)


def assigned_variable(command):
    if command.kind != "simple" or command.name != "set":
        return None
    m = SET_TARGET.match(command.text)
    if not m:
        return None
    rest = command.text[m.end():].lstrip()
    if not rest.startswith(("=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=")) and \
            not (m.group(1) or "").lower().startswith("/a"):
        return None
    return m.group(2).lower()


# ---- rules ------------------------------------------------------------------------------------

def lint_text(path, data, fragment=False):
    findings = []

    def add(line, rule, message):
        findings.append(Finding(path, line, rule, message))

    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines, 1):
        if not raw.endswith(b"\r"):
            add(number, "crlf", "line does not end in CR LF")
            break
    text_lines = [raw.rstrip(b"\r").decode("latin-1") for raw in raw_lines]

    # ^ at the end of a line continues it on the next one.
    logical, buffer, first = [], "", None
    for number, text in enumerate(text_lines, 1):
        if first is None:
            first = number
        if text.endswith("^") and not text.endswith("^^"):
            buffer += text[:-1]
            continue
        logical.append((first, buffer + text))
        buffer, first = "", None
    if first is not None:
        logical.append((first, buffer))

    parser = Parser(path)
    parser.parse(logical)
    findings.extend(parser.findings)
    commands = [c for c in parser.commands if c.name != "rem"]

    _rule_setlocal(commands, fragment, add)
    _rule_delayed(commands, add)
    _rule_unquoted_paths(commands, add)
    _rule_commands(commands, parser.labels, add)
    _rule_for(commands, add)
    _rule_bang_modifiers(commands, add)
    findings.sort(key=lambda f: (f.line, f.rule))
    return findings


def _rule_setlocal(commands, fragment, add):
    real = [c for c in commands
            if not (c.kind == "simple" and c.name == "echo" and c.text.strip().lower() == "off")]
    if fragment:
        for c in real:
            if c.kind == "simple" and c.name == "setlocal":
                add(c.line, "setlocal", "a called configuration file must not use setlocal: "
                    "its variables would be dropped on return")
        return
    if not real or real[0].kind != "simple" or real[0].name != "setlocal":
        add(real[0].line if real else 1, "setlocal",
            "the first command must be setlocal, so variables do not leak into the caller")


def _rule_delayed(commands, add):
    assigned = {}
    statement = None
    for c in commands:
        if c.statement != statement:
            statement = c.statement
            assigned = {}
        for ref in references(c.text):
            if ref.kind != "pct":
                continue
            if ref.name == "errorlevel" and not c.first:
                add(c.line, "delayed", "%ERRORLEVEL% here holds the value from before the "
                    "statement; use 'if errorlevel N' or !ERRORLEVEL!")
            elif ref.name in assigned:
                add(c.line, "delayed", "%%%s%% is expanded before the set on line %d runs; "
                    "use !%s!" % (ref.name.upper(), assigned[ref.name], ref.name.upper()))
        target = assigned_variable(c)
        if target and target not in assigned:
            assigned[target] = c.line


def _is_path_param(ref):
    return ref.kind == "param" and any(ch in ref.name for ch in "fdpnx")


def _rule_unquoted_paths(commands, add):
    # Variables whose value comes from a path (directly or through another such variable).
    tainted = set()
    changed = True
    while changed:
        changed = False
        for c in commands:
            target = assigned_variable(c)
            if not target or target in tainted:
                continue
            for ref in references(c.text):
                if _is_path_param(ref) or ref.name in SPACE_VARS or \
                        (ref.kind in ("pct", "bang") and ref.name in tainted):
                    tainted.add(target)
                    changed = True
                    break
    for c in commands:
        is_set = c.kind == "simple" and c.name == "set"
        for ref in references(c.text):
            path_like = _is_path_param(ref) or \
                (ref.kind in ("pct", "bang") and (ref.name in SPACE_VARS or ref.name in tainted))
            if not path_like:
                continue
            inside = ref.start < len(c.quoted) and c.quoted[ref.start]
            if inside:
                continue
            if ref.kind == "bang" and (is_set or (c.kind == "simple" and c.name == "echo")):
                continue  # expanded after parsing: no argument splitting matters here
            if is_set and c.text.lstrip().startswith('"'):
                continue
            add(c.line, "unquoted-path", "%s may hold spaces or ( ) &: put it in double quotes"
                % ref.raw)


def _first_token(text):
    m = re.match(r'\s*("[^"]*"|[^\s]+)', text)
    return m.group(1) if m else ""


def _assigned_values(commands):
    """Variable -> the (non-empty) texts assigned to it."""
    values = {}
    for c in commands:
        target = assigned_variable(c)
        if not target:
            continue
        m = re.match(r'\s*"?[^=]*=(.*?)"?\s*$', c.text)
        if m and m.group(1):
            values.setdefault(target, []).append(m.group(1))
    return values


def _is_batch_target(target, values):
    bare = target.strip('"')
    if re.search(r"\.(cmd|bat)$", bare, re.I):
        return True
    m = re.fullmatch(r"[%!]([^%!:]+)[%!]", bare)
    texts = values.get(m.group(1).lower(), []) if m else []
    return bool(texts) and all(re.search(r"\.(cmd|bat)$", t, re.I) for t in texts)


def _rule_commands(commands, labels, add):
    values = _assigned_values(commands)
    after_batch_call = None
    for c in commands:
        if after_batch_call is not None:
            tests_errorlevel = re.search(r"errorlevel", c.text, re.I) and \
                (c.kind == "if" or "%errorlevel%" in c.text.lower() or
                 "!errorlevel!" in c.text.lower())
            if tests_errorlevel:
                add(c.line, "call-external", "errorlevel after call of a batch file: Wine 8 "
                    "reports 1 for any non-zero exit code")
            after_batch_call = None
        names = [(c.name, c.text, c.quoted)] if c.kind == "simple" else []
        if c.kind == "for" and re.search(r"/f", c.for_options, re.I):
            inner = re.match(r"\s*(['`])(.*)\1\s*$", c.for_set, re.S)
            if inner:
                unescaped = re.sub(r"\^(.)", r"\1", inner.group(2))
                for segment in re.split(r"\|+|&+", unescaped):
                    word = _first_token(segment).strip('"').lower()
                    names.append((word, segment[segment.lower().find(word) + len(word):]
                                  if word else "", _quote_map(segment)))
        for name, args, _ in names:
            base = re.sub(r"\.exe$", "", name.split("\\")[-1])
            if base in WINE_MISSING:
                add(c.line, "wine-command", "%s is missing or a stub under Wine 8" % base)
            if base == "find" and re.search(r"(^|\s)/[icvn](\s|$)", args, re.I):
                add(c.line, "wine-command", "find /i /c /v /n fail under Wine 8; only plain "
                    "find \"text\" works")
        if c.kind != "simple":
            continue
        if c.name == "set" and re.match(r"\s*/p\s", c.text, re.I) and "<" in c.text:
            add(c.line, "set-p-file", "set /p VAR=<file reads the whole file under Wine 8")
        if c.name == "exit" and not re.match(r"\s*/b(\s|$)", c.text, re.I):
            add(c.line, "exit-without-b", "exit without /b closes the caller's window")
        elif c.name == "exit" and re.match(r"\s*/b\s*$", c.text, re.I):
            add(c.line, "exit-b-code", "exit /b without a code: Wine 8 returns 0 where Windows "
                "keeps ERRORLEVEL; give the code")
        if c.name in ("goto", "call"):
            target = _first_token(c.text)
            if c.name == "call" and not target.startswith(":"):
                if target.lower() == "set":
                    continue
                if _is_batch_target(target, values):
                    after_batch_call = c
                    continue
                add(c.line, "call-external", "call of %s: Wine 8 reports ERRORLEVEL 1 for any "
                    "non-zero exit code; run programs without call" % (target or "nothing"))
                continue
            label = target.lstrip(":").lower()
            if not label or "%" in label or "!" in label or label == "eof":
                continue
            if label not in labels:
                add(c.line, "label", "%s :%s, which is not defined" % (c.name, label))


def _rule_for(commands, add):
    for c in commands:
        if c.kind != "for":
            continue
        if any(ref.kind == "bang" for ref in references(c.for_set)):
            add(c.line, "for-set-bang", "!VAR! inside a for set is not expanded like Windows "
                "under Wine 8; use %VAR% outside a block (e.g. in a subroutine)")
        plain = not re.search(r"/[fl]", c.for_options, re.I)
        if plain and re.search(r'"[^"]*[*?][^"]*"', c.for_set):
            add(c.line, "for-quoted-glob", "a quoted wildcard in a for set matches nothing "
                "under Wine 8; pushd into the folder or use dir /b in for /f")


def _rule_bang_modifiers(commands, add):
    for c in commands:
        for ref in references(c.text):
            if ref.kind != "bang":
                continue
            if ":" in ref.raw:
                add(c.line, "delayed-modifier", "%s: substrings and replacements in !..! give "
                    "garbage under Wine 8; use %%VAR:...%% on a line outside blocks" % ref.raw)
        for m in re.finditer(r"![^!\s]*%%~?[a-z][^!\s]*!", c.text, re.I):
            add(c.line, "delayed-modifier", "%s: a for variable inside !..! expands to "
                "nothing under Wine 8; read the variable in a subroutine" % m.group(0))


def lint_file(path, fragment=False):
    with open(path, "rb") as f:
        data = f.read()
    return lint_text(path, data, fragment)


def main(argv):
    args = list(argv[1:])
    fragment = False
    if args and args[0] == "--fragment":
        fragment = True
        args = args[1:]
    if not args or any(a.startswith("-") for a in args):
        sys.stderr.write("usage: cmdlint.py [--fragment] FILE...\n")
        return 2
    total = 0
    for path in args:
        try:
            findings = lint_file(path, fragment)
        except OSError as error:
            sys.stderr.write("cmdlint.py: cannot read %s: %s\n" % (path, error))
            return 2
        for finding in findings:
            print(finding)
        total += len(findings)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
