@echo off
rem Aero Guest Tools check for Windows 7: reports test signing, the test certificate, each
rem driver's package, service, bound devices and signature, and the virtio-blk boot pre-seeding,
rem to the console and to %SystemDrive%\AeroGuestTools\verify.txt. "verify.cmd /?" for details.
rem Keeps to the cmd subset checked by guest-tools/tests/cmdlint.py (Windows 7 and Wine 8 agree).
setlocal EnableExtensions DisableDelayedExpansion

rem A 32-bit cmd on 64-bit Windows sees redirected System32 and registry views: run the script
rem again in the 64-bit cmd and hand back its exit code.
if defined PROCESSOR_ARCHITEW6432 goto :relaunch_64bit

rem The media (config\devices.cmd, certificate, catalogs) is where verify.cmd runs from; a path
rem with "!" cannot be used with delayed expansion.
set "MEDIA=%~dp0"
if not "%MEDIA:!=%"=="%MEDIA%" set "MEDIA="
setlocal EnableDelayedExpansion

set "ROOT_CERT_FILE=aero-test-root.cer"
set "PUBLISHER_CERT_FILE=aero-test-publisher.cer"
set "TOOLS_DIR=%SystemDrive%\AeroGuestTools"
set "STATE_FILE=!TOOLS_DIR!\state.txt"
set "REPORT_FILE=!TOOLS_DIR!\verify.txt"
set "REPORT_TMP=!TOOLS_DIR!\verify.tmp"
set "WORK_FILE=!TOOLS_DIR!\verify.work"
set "CHECK_FILE=!TOOLS_DIR!\verify.chk"
set "CDDB_ROOT=HKLM\SYSTEM\CurrentControlSet\Control\CriticalDeviceDatabase"
set "SERVICES_ROOT=HKLM\SYSTEM\CurrentControlSet\Services"
set "NAME_CHARS=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
set "HEX_CHARS=0123456789abcdefABCDEF"
set "PROBLEMS=0"
set "PROBLEM_INDENT=  "
set "OPT_quiet="

:parse_args
if "%~1"=="" goto :args_done
if "%~1"=="/?" goto :usage
if /i "%~1"=="/help" goto :usage
if /i not "%~1"=="/quiet" (
  echo verify.cmd: unknown switch "%~1"; "verify.cmd /?" lists the switches. 1>&2
  exit /b 2
)
set "OPT_quiet=1"
shift
goto :parse_args

:args_done
if not exist "!TOOLS_DIR!\" mkdir "!TOOLS_DIR!" >nul 2>&1
>"!REPORT_TMP!" echo.Aero Guest Tools verification report
if not exist "!REPORT_TMP!" (
  echo verify.cmd: cannot write !REPORT_TMP!. 1>&2
  exit /b 13
)
if not defined OPT_quiet echo.Aero Guest Tools verification report
call :line "Date: %DATE% %TIME%"
call :section_system
call :section_testsigning
call :section_certificates
call :section_drivers
call :section_preseed
call :line ""
if "!PROBLEMS!"=="0" (
  call :line "Result: no problems found."
) else (
  call :line "Result: !PROBLEMS! problem(s) found."
)
del /f /q "!WORK_FILE!" "!CHECK_FILE!" >nul 2>&1
move /y "!REPORT_TMP!" "!REPORT_FILE!" >nul
if errorlevel 1 (
  echo verify.cmd: cannot write !REPORT_FILE!. 1>&2
  exit /b 13
)
if not defined OPT_quiet echo.Report: !REPORT_FILE!
if "!PROBLEMS!"=="0" exit /b 0
exit /b 1

rem ---- Reading the state file -----------------------------------------------------------------
rem A value is never passed as a call argument nor %-expanded before :check_chars accepted it.
rem (Near the top: Wine's cmd finds a label by reading on from the caller, line by line.)

:each_state_line
if not exist "!STATE_FILE!" exit /b 0
set "PHASE=%~1"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do (
  if /i "%%a"=="!PHASE!" (
    set "LINE_KEY=%%a"
    set "LINE_VALUE=%%b"
    call :state_line
  )
)
exit /b 0

:state_line
if "!PHASE!"=="cert" goto :collect_cert
if "!PHASE!"=="driver" goto :match_driver
if "!PHASE!"=="preseed_service" goto :check_preseed_service
if "!PHASE!"=="preseed_file" goto :check_preseed_file
if "!PHASE!"=="cddb" goto :check_preseed_cddb
exit /b 0

rem ---- Sections -------------------------------------------------------------------------------

:section_system
set "ARCH=unknown"
if /i "%PROCESSOR_ARCHITECTURE%"=="AMD64" set "ARCH=amd64"
if /i "%PROCESSOR_ARCHITECTURE%"=="x86" set "ARCH=x86"
set "NT_VERSION="
set "PRODUCT_NAME="
reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do (
  if /i "%%a"=="CurrentVersion" set "NT_VERSION=%%c"
  if /i "%%a"=="ProductName" set "PRODUCT_NAME=%%c"
)
call :line ""
call :line "System: !PRODUCT_NAME! (version !NT_VERSION!), !ARCH!"
if not "!NT_VERSION!"=="6.1" call :problem "this is not Windows 7 (version 6.1)."
if "!ARCH!"=="unknown" call :problem "unsupported processor architecture !PROCESSOR_ARCHITECTURE!."
set "IS_ADMIN=1"
fsutil dirty query %SystemDrive% >nul 2>&1
if errorlevel 1 set "IS_ADMIN="
if not defined IS_ADMIN call :line "  Not run as administrator: run verify.cmd as administrator for a complete report."
exit /b 0

:section_testsigning
call :line ""
set "TESTSIGNING=unknown"
bcdedit /enum {current} >"!WORK_FILE!" 2>&1
if not errorlevel 1 set "TESTSIGNING=off"
if "!TESTSIGNING!"=="off" (
  for /f "usebackq tokens=1,2" %%a in ("%WORK_FILE%") do if /i "%%a"=="testsigning" if /i "%%b"=="Yes" set "TESTSIGNING=on"
)
call :line "Test signing: !TESTSIGNING!"
if not "!ARCH!"=="amd64" (
  call :line "  32-bit Windows 7 does not need test signing for these drivers."
  exit /b 0
)
if "!TESTSIGNING!"=="off" call :problem "64-bit Windows 7 loads the test-signed drivers only with test signing on."
if "!TESTSIGNING!"=="unknown" call :problem "bcdedit could not read the boot configuration (administrator rights needed)."
exit /b 0

:section_certificates
call :line ""
call :line "Test certificate:"
set "CERT_PAIRS="
call :each_state_line cert
if not defined CERT_PAIRS call :media_cert_pairs
if not defined CERT_PAIRS (
  call :problem "neither state.txt nor the media names the certificate; has setup.cmd run?"
  exit /b 0
)
for %%p in (%CERT_PAIRS%) do call :check_cert %%p
exit /b 0

:media_cert_pairs
rem Without state.txt: the certificates on the media (thumbprint = SHA-1 of the DER file).
if not defined MEDIA exit /b 0
call :line "  (no state.txt: checking the certificates on the media)"
call :media_cert_pair Root "%ROOT_CERT_FILE%"
call :media_cert_pair TrustedPublisher "%PUBLISHER_CERT_FILE%"
exit /b 0

:media_cert_pair
set "CERT_SHA1="
if not exist "!MEDIA!certs\%~2" exit /b 0
certutil -hashfile "!MEDIA!certs\%~2" >"!WORK_FILE!" 2>&1
if errorlevel 1 exit /b 0
for /f "usebackq delims=" %%l in ("%WORK_FILE%") do (
  set "HASH_LINE=%%l"
  call :hash_line
)
if not defined CERT_SHA1 exit /b 0
set "LINE_VALUE=%~1:!CERT_SHA1!"
call :collect_cert
exit /b 0

:hash_line
rem The line of 20 hex bytes (Windows 7 separates them with spaces) is the SHA-1.
set "HASH_LINE=%HASH_LINE: =%"
set "CHECK_VALUE=!HASH_LINE!"
call :check_chars "%HEX_CHARS%"
if errorlevel 1 exit /b 0
if "%HASH_LINE:~39%"=="" exit /b 0
if not "%HASH_LINE:~40%"=="" exit /b 0
set "CERT_SHA1=!HASH_LINE!"
exit /b 0

:collect_cert
rem cert=<Root|TrustedPublisher>:<SHA-1>, each pair once.
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%:"
if errorlevel 1 exit /b 0
set "PAIR_STORE="
set "PAIR_SHA1="
for /f "tokens=1,2 delims=:" %%a in ("%LINE_VALUE%") do (
  set "PAIR_STORE=%%a"
  set "PAIR_SHA1=%%b"
)
set "PAIR_OK="
if "!PAIR_STORE!"=="Root" set "PAIR_OK=1"
if "!PAIR_STORE!"=="TrustedPublisher" set "PAIR_OK=1"
if not defined PAIR_OK exit /b 0
set "CHECK_VALUE=!PAIR_SHA1!"
call :check_chars "%HEX_CHARS%"
if errorlevel 1 exit /b 0
if "%PAIR_SHA1:~39%"=="" exit /b 0
if not "%PAIR_SHA1:~40%"=="" exit /b 0
if defined SEEN_PAIR_%PAIR_STORE%_%PAIR_SHA1% exit /b 0
set "SEEN_PAIR_%PAIR_STORE%_%PAIR_SHA1%=1"
set "CERT_PAIRS=!CERT_PAIRS! !PAIR_STORE!:!PAIR_SHA1!"
exit /b 0

:check_cert
for /f "tokens=1,2 delims=:" %%a in ("%~1") do (
  set "CHECK_STORE=%%a"
  set "CHECK_SHA1=%%b"
)
certutil -store !CHECK_STORE! !CHECK_SHA1! >nul 2>&1
if errorlevel 1 (
  call :problem "the certificate !CHECK_SHA1! is missing from the !CHECK_STORE! store."
  exit /b 0
)
call :line "  !CHECK_STORE! store: present (SHA-1 !CHECK_SHA1!)"
exit /b 0

:section_drivers
call :line ""
set "CONFIG_FILE="
if defined MEDIA set "CONFIG_FILE=!MEDIA!config\devices.cmd"
if defined CONFIG_FILE if not exist "!CONFIG_FILE!" set "CONFIG_FILE="
if not defined CONFIG_FILE (
  call :line "Drivers:"
  call :problem "config\devices.cmd is not beside verify.cmd: run verify.cmd from the Guest Tools media."
  exit /b 0
)
call :line "Drivers:"
set "AERO_DEVICES="
rem devices.cmd only sets variables; its exit code is not used (Wine reports 1 for any non-zero).
call "!CONFIG_FILE!"
set "CHECKED_DRIVERS="
for %%d in (%AERO_DEVICES%) do call :check_device %%d
if not defined CHECKED_DRIVERS call :problem "config\devices.cmd names no valid device."
exit /b 0

:check_device
set "DEV=%~1"
set "CHECK_VALUE=!DEV!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 exit /b 0
set "DEV_SERVICE=!AERO_%DEV%_SERVICE!"
set "DEV_INF=!AERO_%DEV%_INF!"
set "CHECK_VALUE=!DEV_SERVICE!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 goto :bad_device
set "CHECK_VALUE=!DEV_INF!"
call :check_chars "%NAME_CHARS%-."
if errorlevel 1 goto :bad_device
if /i not "%DEV_INF:~-4%"==".inf" goto :bad_device
set "DEV_DRIVER=%DEV_INF:~0,-4%"
if not defined DEV_DRIVER goto :bad_device
if defined CHECKED_%DEV_DRIVER% exit /b 0
set "CHECKED_%DEV_DRIVER%=1"
set "CHECKED_DRIVERS=!CHECKED_DRIVERS! !DEV_DRIVER!"
call :check_driver "!DEV_DRIVER!" "!DEV_SERVICE!"
exit /b 0

:bad_device
call :problem "config\devices.cmd: AERO_!DEV!_SERVICE or AERO_!DEV!_INF is missing or malformed."
exit /b 0

:check_driver
rem %1 driver base name, %2 service name.
set "CD_DRIVER=%~1"
set "CD_SERVICE=%~2"
call :line "  !CD_DRIVER!"
set "PROBLEM_INDENT=    "
set "CD_OEM="
call :each_state_line driver
if defined CD_OEM (
  if exist "%SystemRoot%\inf\!CD_OEM!" (
    call :line "    driver package: !CD_OEM! in the driver store"
  ) else (
    call :problem "driver package !CD_OEM! was installed by setup.cmd but is no longer in the driver store."
  )
) else (
  call :line "    driver package: not installed by setup.cmd"
)
set "MC_FILE=!MEDIA!drivers\!CD_DRIVER!\!ARCH!\!CD_DRIVER!.cat"
if exist "!MC_FILE!" call :signature "!MC_FILE!"
set "CD_KEY=!SERVICES_ROOT!\!CD_SERVICE!"
set "CD_START="
reg query "!CD_KEY!" /v Start >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do if /i "%%a"=="Start" set "CD_START=%%c"
if not defined CD_START (
  call :line "    service !CD_SERVICE!: not installed (no device has used the driver yet)"
  exit /b 0
)
call :start_name "!CD_START!"
set "CD_STATE=not running"
sc query "!CD_SERVICE!" >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,3" %%a in ("%WORK_FILE%") do if /i "%%a"=="STATE" if "%%b"=="4" set "CD_STATE=running"
call :line "    service !CD_SERVICE!: Start=!CD_START! (!START_NAME!), !CD_STATE!"
rem Services\<name>\Enum holds Count and one value 0, 1, ... per device the driver runs.
set "CD_COUNT=0"
reg query "!CD_KEY!\Enum" >"!WORK_FILE!" 2>&1
for %%p in (count print) do (
  set "ENUM_PASS=%%p"
  if "%%p"=="print" (call :line "    bound devices: !CD_COUNT!")
  for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do (
    if /i "%%b"=="REG_SZ" (
      set "ENUM_NAME=%%a"
      set "ENUM_DEVICE=%%c"
      call :enum_value
    )
  )
)
set "CD_FILE=%SystemRoot%\System32\drivers\!CD_DRIVER!.sys"
if exist "!CD_FILE!" call :signature "!CD_FILE!"
exit /b 0

:match_driver
rem driver=<driver>:<oemN.inf> for the driver being checked.
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%-.:"
if errorlevel 1 exit /b 0
for /f "tokens=1,2 delims=:" %%a in ("%LINE_VALUE%") do if /i "%%a"=="!CD_DRIVER!" set "CD_OEM=%%b"
exit /b 0

:enum_value
set "CHECK_VALUE=!ENUM_NAME!"
call :check_chars "0123456789"
if errorlevel 1 exit /b 0
if "!ENUM_PASS!"=="count" set /a CD_COUNT+=1
if "!ENUM_PASS!"=="print" call :line "      !ENUM_DEVICE!"
exit /b 0

:start_name
set "START_NAME=unknown"
if /i "%~1"=="0x0" set "START_NAME=boot"
if /i "%~1"=="0x1" set "START_NAME=system"
if /i "%~1"=="0x2" set "START_NAME=automatic"
if /i "%~1"=="0x3" set "START_NAME=on demand"
if /i "%~1"=="0x4" set "START_NAME=disabled"
exit /b 0

:signature
rem Authenticode status from PowerShell 2.0: Valid, NotSigned, HashMismatch, NotTrusted, ...
rem The path goes through the environment, so no quoting can break the command.
set "AERO_SIGNATURE_FILE=%~1"
set "SIG_STATUS="
for /f "usebackq delims=" %%s in (`powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "(Get-AuthenticodeSignature -FilePath $env:AERO_SIGNATURE_FILE).Status" 2^>nul ^<nul`) do set "SIG_STATUS=%%s"
if not defined SIG_STATUS (
  call :line "    signature of %~nx1: not checked (PowerShell is not available)"
  exit /b 0
)
if /i "!SIG_STATUS!"=="Valid" (
  call :line "    signature of %~nx1: Valid"
  exit /b 0
)
call :problem "signature of %~1: !SIG_STATUS!"
exit /b 0

:section_preseed
set "PROBLEM_INDENT=  "
call :line ""
call :line "Boot pre-seeding of virtio-blk:"
set "PRESEED_FOUND="
call :each_state_line preseed_service
call :each_state_line preseed_file
call :each_state_line cddb
if not defined PRESEED_FOUND call :line "  not done (setup.cmd /skipstorage, or setup.cmd has not run)"
exit /b 0

:check_preseed_service
set "PRESEED_FOUND=1"
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 exit /b 0
set "PS_START="
reg query "!SERVICES_ROOT!\!LINE_VALUE!" /v Start >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do if /i "%%a"=="Start" set "PS_START=%%c"
if not defined PS_START (
  call :problem "the boot-start service !LINE_VALUE! is missing."
  exit /b 0
)
if /i not "!PS_START!"=="0x0" (
  call :problem "the service !LINE_VALUE! has Start=!PS_START!; a boot driver needs 0x0."
  exit /b 0
)
call :line "  service !LINE_VALUE!: Start=0x0 (boot)"
exit /b 0

:check_preseed_file
set "PRESEED_FOUND=1"
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%:\.-"
if errorlevel 1 exit /b 0
if exist "!LINE_VALUE!" (
  call :line "  file !LINE_VALUE!: present"
  exit /b 0
)
call :problem "the file !LINE_VALUE! is missing."
exit /b 0

:check_preseed_cddb
set "PRESEED_FOUND=1"
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%&#"
if errorlevel 1 exit /b 0
set "PC_SERVICE="
reg query "!CDDB_ROOT!\!LINE_VALUE!" /v Service >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do if /i "%%a"=="Service" set "PC_SERVICE=%%c"
if not defined PC_SERVICE (
  call :problem "CriticalDeviceDatabase\!LINE_VALUE! is missing."
  exit /b 0
)
call :line "  CriticalDeviceDatabase\!LINE_VALUE!: !PC_SERVICE!"
exit /b 0

rem ---- Helpers --------------------------------------------------------------------------------

:line
set "LINE_TEXT=%~1"
if not defined OPT_quiet echo.!LINE_TEXT!
>>"!REPORT_TMP!" echo.!LINE_TEXT!
exit /b 0

:problem
set /a PROBLEMS+=1
call :line "!PROBLEM_INDENT!PROBLEM: %~1"
exit /b 0

:check_chars
rem Exit code 1 unless CHECK_VALUE is non-empty and has only characters from the set %1. The
rem value goes through a file, so none of its characters is ever parsed as cmd syntax.
if not defined CHECK_VALUE exit /b 1
set "CHECK_SET=%~1"
set "CHECK_FIRST=%CHECK_SET:~0,1%"
>"!CHECK_FILE!" echo.!CHECK_FIRST!!CHECK_VALUE!
for /f "usebackq delims=%~1" %%x in ("%CHECK_FILE%") do exit /b 1
exit /b 0

:usage
echo Aero Guest Tools check for Windows 7. Run it from the Guest Tools media, as administrator
echo for a complete report. It reports test signing, the test certificate, each driver's package,
echo service, bound devices and signature, and the virtio-blk boot pre-seeding, to the console
echo and to %SystemDrive%\AeroGuestTools\verify.txt.
echo.
echo   verify.cmd [/quiet]
echo.
echo   /quiet  write the report file only
echo.
echo Exit codes: 0 no problems, 1 problems found (listed as PROBLEM in the report),
echo 2 unknown switch, 11 a 32-bit prompt cannot reach the 64-bit cmd.exe,
echo 13 cannot write the report.
exit /b 0

:relaunch_64bit
if not exist "%SystemRoot%\Sysnative\cmd.exe" goto :no_64bit_cmd
"%SystemRoot%\Sysnative\cmd.exe" /c ^""%~f0" %*^"
exit /b %ERRORLEVEL%

:no_64bit_cmd
echo verify.cmd: this 32-bit command prompt cannot reach the 64-bit cmd.exe; run verify.cmd from a 64-bit command prompt. 1>&2
exit /b 11
