// Recording stand-in for the Windows tools the Guest Tools scripts run (pnputil, certutil, bcdedit,
// shutdown, fsutil, ...) when the scripts are tested under Wine. One binary, copied once per tool
// name. Environment (TOOL = upper-cased name of this executable without ".exe"):
//   STUB_LOG            required: file that receives one JSON line (UTF-8) per call
//   STUB_RC_TOOL        exit code: "N", or "N1,N2,..." = call k uses the k-th value, the last
//   repeats STUB_OUT_TOOL_k     file copied to stdout on call k (falls back to STUB_OUT_TOOL)
//   STUB_EXEC_TOOL      program run with this call's arguments; its exit code is returned (relay)
//   STUB_CREATE_TOOL_k  file created on call k, holding the call's arguments (e.g. the oemN.inf
//                       that pnputil would publish)
// Misconfiguration (no log, bad exit-code list, missing output file) exits 250..254 with a message
// on stderr, so a broken test set-up can never look like a tool result.
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

enum {
  kExitNoLog = 250,
  kExitBadRcSpec = 251,
  kExitBadOutFile = 252,
  kExitLogWrite = 253,
  kExitExecFailed = 254,
};

static void Fail(int code, const wchar_t* what, const wchar_t* detail) {
  fwprintf(stderr, L"recorder: %ls: %ls\n", what, detail ? detail : L"");
  exit(code);
}

// Lower-case base name of this executable without the extension, e.g. L"pnputil".
static void ToolName(wchar_t* out, size_t cap) {
  wchar_t path[MAX_PATH * 2];
  DWORD len = GetModuleFileNameW(NULL, path, MAX_PATH * 2);
  if (len == 0 || len >= MAX_PATH * 2)
    Fail(kExitNoLog, L"GetModuleFileNameW failed", NULL);
  const wchar_t* base = path;
  for (const wchar_t* p = path; *p; ++p) {
    if (*p == L'\\' || *p == L'/')
      base = p + 1;
  }
  size_t n = 0;
  for (; base[n] && base[n] != L'.' && n + 1 < cap; ++n)
    out[n] = towlower(base[n]);
  out[n] = 0;
}

// Reads an environment variable; returns 0 when it is unset or too long.
static int GetEnv(const wchar_t* name, wchar_t* out, DWORD cap) {
  DWORD len = GetEnvironmentVariableW(name, out, cap);
  return len > 0 && len < cap;
}

// Growable UTF-8 buffer for the JSON line.
typedef struct {
  char* data;
  size_t len;
  size_t cap;
} Buffer;

static void Append(Buffer* b, const char* s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (b->len + n + 1 > cap)
      cap *= 2;
    char* grown = (char*)realloc(b->data, cap);
    if (!grown)
      Fail(kExitLogWrite, L"out of memory", NULL);
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

static void AppendStr(Buffer* b, const char* s) {
  Append(b, s, strlen(s));
}

// Appends a JSON string literal holding `text` converted to UTF-8.
static void AppendJsonString(Buffer* b, const wchar_t* text) {
  int need = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
  char* utf8 = (char*)malloc(need > 0 ? (size_t)need : 1);
  if (!utf8)
    Fail(kExitLogWrite, L"out of memory", NULL);
  if (need <= 0 || !WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, need, NULL, NULL))
    utf8[0] = 0;
  AppendStr(b, "\"");
  for (const unsigned char* p = (const unsigned char*)utf8; *p; ++p) {
    char esc[8];
    if (*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      Append(b, esc, 2);
    } else if (*p < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", *p);
      AppendStr(b, esc);
    } else {
      Append(b, (const char*)p, 1);
    }
  }
  AppendStr(b, "\"");
  free(utf8);
}

// Number of earlier calls of `tool` recorded in the log (lines that begin with its tool key).
static int EarlierCalls(const wchar_t* log_path, const char* tool_key) {
  FILE* f = _wfopen(log_path, L"rb");
  if (!f)
    return 0;
  int count = 0;
  size_t key_len = strlen(tool_key);
  size_t matched = 0;
  int at_line_start = 1;
  int c;
  while ((c = fgetc(f)) != EOF) {
    if (c == '\n') {
      at_line_start = 1;
      matched = 0;
      continue;
    }
    if (at_line_start) {
      if ((char)c == tool_key[matched]) {
        if (++matched == key_len) {
          ++count;
          at_line_start = 0;
        }
      } else {
        at_line_start = 0;
      }
    }
  }
  fclose(f);
  return count;
}

// Exit code for call `call` (1-based) from "N" or "N1,N2,...".
static int ExitCodeFor(const wchar_t* spec, int call) {
  int index = 1;
  const wchar_t* p = spec;
  for (;;) {
    wchar_t* end = NULL;
    long value = wcstol(p, &end, 10);
    if (end == p || (*end != L',' && *end != 0))
      Fail(kExitBadRcSpec, L"bad exit-code list", spec);
    if (index == call || *end == 0)
      return (int)value;
    p = end + 1;
    ++index;
  }
}

static void CopyToStdout(const wchar_t* path) {
  FILE* f = _wfopen(path, L"rb");
  if (!f)
    Fail(kExitBadOutFile, L"cannot open output file", path);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    fwrite(chunk, 1, n, stdout);
  fclose(f);
  fflush(stdout);
}

// The command line after the program name, exactly as this process received it.
static const wchar_t* ArgumentsTail(void) {
  const wchar_t* p = GetCommandLineW();
  if (*p == L'"') {
    ++p;
    while (*p && *p != L'"')
      ++p;
    if (*p)
      ++p;
  } else {
    while (*p && *p != L' ' && *p != L'\t')
      ++p;
  }
  while (*p == L' ' || *p == L'\t')
    ++p;
  return p;
}

static void CreateWithArguments(const wchar_t* path) {
  FILE* f = _wfopen(path, L"wb");
  if (!f)
    Fail(kExitBadOutFile, L"cannot create file", path);
  const wchar_t* tail = ArgumentsTail();
  int need = WideCharToMultiByte(CP_UTF8, 0, tail, -1, NULL, 0, NULL, NULL);
  char* utf8 = (char*)malloc(need > 0 ? (size_t)need : 1);
  if (!utf8)
    Fail(kExitBadOutFile, L"out of memory", NULL);
  if (need <= 0 || !WideCharToMultiByte(CP_UTF8, 0, tail, -1, utf8, need, NULL, NULL))
    utf8[0] = 0;
  size_t len = strlen(utf8);
  if (fwrite(utf8, 1, len, f) != len || fclose(f) != 0)
    Fail(kExitBadOutFile, L"cannot write", path);
  free(utf8);
}

static int Relay(const wchar_t* program) {
  const wchar_t* tail = ArgumentsTail();
  size_t cap = wcslen(program) + wcslen(tail) + 4;
  wchar_t* cmdline = (wchar_t*)malloc(cap * sizeof(wchar_t));
  if (!cmdline)
    Fail(kExitExecFailed, L"out of memory", NULL);
  _snwprintf(cmdline, cap, L"\"%ls\" %ls", program, tail);
  cmdline[cap - 1] = 0;
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessW(program, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    Fail(kExitExecFailed, L"cannot start relay program", program);
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = kExitExecFailed;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  free(cmdline);
  return (int)code;
}

int wmain(int argc, wchar_t** argv) {
  _setmode(_fileno(stdout), _O_BINARY);
  wchar_t tool[64];
  ToolName(tool, 64);
  wchar_t upper[64];
  size_t i = 0;
  for (; tool[i]; ++i)
    upper[i] = towupper(tool[i]);
  upper[i] = 0;

  wchar_t log_path[4096];
  if (!GetEnv(L"STUB_LOG", log_path, 4096))
    Fail(kExitNoLog, L"STUB_LOG is not set", tool);

  Buffer key = {0};
  AppendStr(&key, "{\"tool\":");
  AppendJsonString(&key, tool);
  AppendStr(&key, ",");
  int call = EarlierCalls(log_path, key.data) + 1;

  Buffer line = {0};
  Append(&line, key.data, key.len);
  AppendStr(&line, "\"argv\":[");
  for (int a = 1; a < argc; ++a) {
    if (a > 1)
      AppendStr(&line, ",");
    AppendJsonString(&line, argv[a]);
  }
  AppendStr(&line, "],\"cmdline\":");
  AppendJsonString(&line, ArgumentsTail());
  wchar_t cwd[4096];
  DWORD cwd_len = GetCurrentDirectoryW(4096, cwd);
  if (cwd_len == 0 || cwd_len >= 4096)
    cwd[0] = 0;
  AppendStr(&line, ",\"cwd\":");
  AppendJsonString(&line, cwd);
  char call_text[32];
  snprintf(call_text, sizeof call_text, ",\"call\":%d}\n", call);
  AppendStr(&line, call_text);

  FILE* log = _wfopen(log_path, L"ab");
  if (!log)
    Fail(kExitLogWrite, L"cannot open STUB_LOG", log_path);
  if (fwrite(line.data, 1, line.len, log) != line.len || fclose(log) != 0) {
    Fail(kExitLogWrite, L"cannot write STUB_LOG", log_path);
  }

  wchar_t name[128];
  wchar_t value[4096];
  _snwprintf(name, 128, L"STUB_OUT_%ls_%d", upper, call);
  name[127] = 0;
  if (GetEnv(name, value, 4096)) {
    CopyToStdout(value);
  } else {
    _snwprintf(name, 128, L"STUB_OUT_%ls", upper);
    name[127] = 0;
    if (GetEnv(name, value, 4096))
      CopyToStdout(value);
  }

  _snwprintf(name, 128, L"STUB_CREATE_%ls_%d", upper, call);
  name[127] = 0;
  if (GetEnv(name, value, 4096))
    CreateWithArguments(value);

  _snwprintf(name, 128, L"STUB_EXEC_%ls", upper);
  name[127] = 0;
  if (GetEnv(name, value, 4096))
    return Relay(value);

  _snwprintf(name, 128, L"STUB_RC_%ls", upper);
  name[127] = 0;
  if (GetEnv(name, value, 4096))
    return ExitCodeFor(value, call);
  return 0;
}
