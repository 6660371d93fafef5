#!/usr/bin/env python3
"""Proves cmdlint.py finds each mistake (bad snippets), stays quiet on correct cmd, and passes the
real Guest Tools scripts. Run directly or through CTest (guest_tools.cmdlint_test)."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cmdlint  # noqa: E402

GUEST_TOOLS = os.path.dirname(HERE)
SCRIPTS = ("setup.cmd", "uninstall.cmd", "verify.cmd")

HEADER = "@echo off\nsetlocal EnableDelayedExpansion\n"


def lint(body, header=HEADER, fragment=False, crlf=True):
    text = header + body
    if crlf:
        text = text.replace("\n", "\r\n")
    return cmdlint.lint_text("snippet.cmd", text.encode("latin-1"), fragment)


def rules(body, **kwargs):
    return sorted({f.rule for f in lint(body, **kwargs)})


class BadSnippets(unittest.TestCase):
    """Each snippet has exactly one kind of mistake, and the linter names exactly that rule."""

    def assertRule(self, rule, body, **kwargs):
        found = lint(body, **kwargs)
        self.assertEqual([rule], sorted({f.rule for f in found}),
                         "findings: %s" % "; ".join(str(f) for f in found))
        return found

    def test_lf_line_endings(self):
        self.assertRule("crlf", "echo hi\n", crlf=False)

    def test_unclosed_block(self):
        found = self.assertRule("parens", 'if exist "a" (\n  echo a\n')
        self.assertEqual(3, found[0].line)

    def test_extra_closing_paren(self):
        self.assertRule("parens", "echo a\n)\n")

    def test_paren_in_text_closes_block_early(self):
        self.assertRule("parens", 'if exist "a" (\n  echo Installing (x86)\n)\n')

    def test_unbalanced_quotes(self):
        self.assertRule("quotes", 'copy "a b.txt c.txt\n')

    def test_label_inside_block(self):
        self.assertRule("label-in-block", 'if exist "a" (\n  :: comment\n  echo a\n)\n')

    def test_percent_after_set_in_block(self):
        found = self.assertRule("delayed", 'if exist "a" (\n  set "X=1"\n  echo %X%\n)\n')
        self.assertIn("!X!", found[0].message)

    def test_percent_after_set_in_for_body(self):
        self.assertRule("delayed", 'for %%f in (a b) do (\n  set "N=%%f"\n  copy "%N%" "b"\n)\n')

    def test_percent_after_set_on_one_line(self):
        self.assertRule("delayed", 'set "X=1" & echo %X%\n')

    def test_percent_after_set_a_in_block(self):
        self.assertRule("delayed", 'if 1==1 (\n  set /a COUNT+=1\n  echo %COUNT%\n)\n')

    def test_errorlevel_percent_in_block(self):
        self.assertRule("delayed", 'if exist "a" (\n  copy "a" "b"\n  echo %ERRORLEVEL%\n)\n')

    def test_missing_setlocal(self):
        self.assertRule("setlocal", "set X=1\n", header="@echo off\n")

    def test_setlocal_in_fragment(self):
        self.assertRule("setlocal", 'set "A=1"\n', header="setlocal\n", fragment=True)

    def test_unquoted_dp0(self):
        self.assertRule("unquoted-path", "copy %~dp0a.txt b.txt\n")

    def test_unquoted_program_files(self):
        self.assertRule("unquoted-path", 'if exist %ProgramFiles%\\x echo yes\n')

    def test_unquoted_variable_holding_a_path(self):
        self.assertRule("unquoted-path", 'set "MEDIA=%~dp0"\ncopy !MEDIA!a.txt b.txt\n')

    def test_unquoted_path_through_two_variables(self):
        self.assertRule("unquoted-path",
                        'set "ROOT=%~dp0"\nset "CFG=!ROOT!config"\ncall :x %CFG%\n'
                        'goto :eof\n:x\nexit /b 0\n')

    def test_unquoted_path_in_unquoted_set(self):
        self.assertRule("unquoted-path", "set DIR=%~dp0\n")

    def test_and_and(self):
        self.assertRule("andand", 'copy "a" "b" && echo ok\n')

    def test_or_or(self):
        self.assertRule("andand", 'copy "a" "b" || echo failed\n')

    def test_findstr(self):
        self.assertRule("wine-command", 'findstr /c:"x" "a.txt"\n')

    def test_findstr_inside_for_f(self):
        self.assertRule("wine-command",
                        "for /f \"delims=\" %%a in ('type \"a.txt\" ^| findstr x') do echo %%a\n")

    def test_find_with_switch(self):
        self.assertRule("wine-command", 'find /i "x" "a.txt"\n')

    def test_timeout(self):
        self.assertRule("wine-command", "timeout /t 5\n")

    def test_call_of_program(self):
        self.assertRule("call-external", 'call pnputil -e\n')

    def test_errorlevel_after_call_of_batch_file(self):
        self.assertRule("call-external", 'call "other.cmd"\nif errorlevel 1 exit /b 1\n')

    def test_goto_undefined_label(self):
        found = self.assertRule("label", "goto :missing\n")
        self.assertIn("missing", found[0].message)

    def test_call_undefined_label(self):
        self.assertRule("label", "call :nowhere\n")

    def test_duplicate_label(self):
        self.assertRule("label", ":a\necho 1\n:a\necho 2\n")

    def test_echo_paren(self):
        self.assertRule("echo-paren", "echo(hello\n")

    def test_set_p_from_file(self):
        self.assertRule("set-p-file", 'set /p LINE=<"a.txt"\n')

    def test_bang_substring(self):
        self.assertRule("delayed-modifier", 'set "A=abc"\necho !A:~0,1!\n')

    def test_bang_replace(self):
        self.assertRule("delayed-modifier", 'set "A=abc"\necho !A:b=x!\n')

    def test_for_variable_inside_bang(self):
        self.assertRule("delayed-modifier", "for %%d in (A B) do echo !NAME_%%d!\n")

    def test_bang_in_for_set(self):
        self.assertRule("for-set-bang", 'set "L=a b"\nfor %%x in (!L!) do echo %%x\n')

    def test_for_if_block(self):
        self.assertRule("for-if-block",
                        'for %%o in (a b) do if /i "%~1"=="%%o" (\n  set "O=1"\n)\n')

    def test_quoted_wildcard_in_for(self):
        self.assertRule("for-quoted-glob", 'for %%f in ("C:\\x y\\*.inf") do echo %%f\n')

    def test_if_without_i_chained_to_if_with_i(self):
        self.assertRule("if-chain-i", 'if "%~1"=="a" if /i "%~2"=="b" echo ab\n')

    def test_if_block_after_one_line_if_in_a_block(self):
        self.assertRule("if-block-after-inline-if",
                        'for %%a in (x y) do (\n  set "K="\n  if "%%a"=="x" set "K=1"\n'
                        '  if not defined K (\n    echo %%a\n  )\n)\n')

    def test_if_block_after_one_line_if_in_an_inner_block(self):
        self.assertRule("if-block-after-inline-if",
                        'if 1==1 (\n  if 2==2 (\n    if 3==3 set "K=1"\n  )\n'
                        '  if defined K (\n    echo k\n  )\n)\n')

    def test_exit_without_b(self):
        self.assertRule("exit-without-b", "exit 3\n")

    def test_exit_b_without_code(self):
        self.assertRule("exit-b-code", "call :x\nexit /b 0\n:x\ncopy \"a\" \"b\"\nexit /b\n")


class GoodSnippets(unittest.TestCase):
    """Correct cmd that resembles each mistake gives no finding."""

    def assertClean(self, body, **kwargs):
        found = lint(body, **kwargs)
        self.assertEqual([], [str(f) for f in found])

    def test_bang_after_set_in_block(self):
        self.assertClean('if exist "a" (\n  set "X=1"\n  echo !X!\n)\n')

    def test_percent_of_variable_set_before_the_block(self):
        self.assertClean('set "X=1"\nif exist "a" (\n  echo %X%\n)\n')

    def test_set_using_its_own_old_value(self):
        self.assertClean('set "P=a"\nset "P=%P%;b"\n')

    def test_errorlevel_on_the_next_line(self):
        self.assertClean('copy "a" "b"\nif errorlevel 1 exit /b 1\nif %ERRORLEVEL% NEQ 0 exit /b 1\n')

    def test_redirection_to_stderr_is_not_a_separator(self):
        self.assertClean("echo failed 1>&2\ncopy \"a\" \"b\" >nul 2>&1\n")

    def test_else_block(self):
        self.assertClean('if exist "a" (\n  echo a\n) else (\n  echo b\n)\n')

    def test_escaped_parens_and_quoted_text_in_block(self):
        self.assertClean('if exist "a" (\n  echo Installing ^(x86^)\n  echo "(x86)"\n)\n')

    def test_paren_in_text_outside_block(self):
        self.assertClean("echo Installing (x86)\n")

    def test_quoted_paths(self):
        self.assertClean('set "MEDIA=%~dp0"\ncopy "!MEDIA!a.txt" "%ProgramFiles%\\b.txt"\n'
                         'echo Media: !MEDIA!\n')

    def test_escaped_quotes(self):
        self.assertClean('cmd /c ^""%~f0" %*^"\n')

    def test_labels_and_calls(self):
        self.assertClean('call :sub "a"\ngoto :end\n:sub\nexit /b 0\n:end\nexit /b 0\n')

    def test_call_of_batch_file_without_errorlevel(self):
        self.assertClean('set "CFG=%~dp0config.cmd"\ncall "!CFG!"\nif defined A echo a\n')

    def test_plain_find_in_for_f(self):
        self.assertClean("for /f \"tokens=2 delims=:\" %%a in ('pnputil -a \"x.inf\" ^| "
                         "find \"Published\"') do set \"P=%%a\"\n")

    def test_for_body_block_with_if(self):
        self.assertClean('for %%o in (a b) do (\n  if /i "%~1"=="%%o" (\n    set "O=1"\n  )\n)\n')

    def test_rem_with_odd_quote_and_paren(self):
        self.assertClean('if exist "a" (\n  rem don"t ) worry\n  echo a\n)\n')

    def test_fragment_without_setlocal(self):
        self.assertClean('@rem generated\nset "AERO_X_INF=x.inf"\n'
                         'set AERO_X_HWIDS="PCI\\VEN_1&DEV_2" "PCI\\VEN_1&DEV_3"\n',
                         header="", fragment=True)

    def test_if_chains_that_wine_parses(self):
        self.assertClean('if /i "%~1"=="a" if "%~2"=="b" echo ab\n'
                         'if /i "%~1"=="a" if /i "%~2"=="b" echo ab\n'
                         'if "%~1"=="a" (\n  if /i "%~2"=="b" echo ab\n)\n')

    def test_if_blocks_that_wine_parses(self):
        self.assertClean('for %%a in (x y) do (\n  if "%%a"=="x" (set "K=1")\n'
                         '  if not defined K (\n    echo %%a\n  )\n'
                         '  if "%%a"=="y" echo y\n)\n'
                         'if "%~1"=="x" set "K=1"\nif defined K (\n  echo k\n)\n')

    def test_dir_b_instead_of_quoted_wildcard(self):
        self.assertClean("for /f \"delims=\" %%f in ('dir /b \"%SystemRoot%\\inf\\oem*.inf\"') "
                         "do echo %%f\n")


class RealScripts(unittest.TestCase):
    def test_scripts_are_clean(self):
        for script in SCRIPTS:
            path = os.path.join(GUEST_TOOLS, script)
            with self.subTest(script=script):
                self.assertEqual([], [str(f) for f in cmdlint.lint_file(path)])

    def test_generated_devices_cmd_is_clean(self):
        # Present once `aero-contract generate` has written it; the scripts `call` it.
        path = os.path.join(GUEST_TOOLS, "config", "devices.cmd")
        if not os.path.exists(path):
            self.assertFalse(os.path.exists(os.path.dirname(path)) and
                             os.listdir(os.path.dirname(path)),
                             "guest-tools/config exists without devices.cmd")
            return
        self.assertEqual([], [str(f) for f in cmdlint.lint_file(path, fragment=True)])


class CommandLine(unittest.TestCase):
    def run_linter(self, *args):
        return subprocess.run([sys.executable, os.path.join(HERE, "cmdlint.py")] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_exit_codes_and_output(self):
        with tempfile.TemporaryDirectory() as folder:
            bad = os.path.join(folder, "bad.cmd")
            with open(bad, "wb") as f:
                f.write(b"@echo off\r\nsetlocal\r\ncopy \"a\" \"b\" && echo ok\r\n")
            result = self.run_linter(bad)
            self.assertEqual(1, result.returncode)
            self.assertIn("bad.cmd:3: andand:", result.stdout)
            good = os.path.join(folder, "good.cmd")
            with open(good, "wb") as f:
                f.write(b"@echo off\r\nsetlocal\r\necho ok\r\n")
            self.assertEqual(0, self.run_linter(good).returncode)
            missing = self.run_linter(os.path.join(folder, "missing.cmd"))
            self.assertEqual(2, missing.returncode)
            self.assertIn("cannot read", missing.stderr)
            self.assertEqual(2, self.run_linter().returncode)


if __name__ == "__main__":
    unittest.main()
