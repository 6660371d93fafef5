@echo off
rem Aero Guest Tools check for Windows 7: reports test signing, the test certificate, each
rem driver's package, service, bound devices and signature, and the virtio-blk boot pre-seeding,
rem to the console and to %SystemDrive%\AeroGuestTools\verify.txt. "verify.cmd /?" for details.
rem Keeps to the cmd subset checked by guest-tools/tests/cmdlint.py (Windows 7 and Wine 8 agree).
setlocal EnableExtensions DisableDelayedExpansion

rem A 32-bit cmd on 64-bit Windows sees redirected System32 and registry views: run the script
rem again in the 64-bit cmd and hand back its exit code.
if defined PROCESSOR_ARCHITEW6432 goto :relaunch_64bit

rem The media (for config\devices.cmd and the catalogs) is optional; a path with "!" is not used.
set "MEDIA=%~dp0"
if not "%MEDIA:!=%"=="%MEDIA%" set "MEDIA="
setlocal EnableDelayedExpansion

set "CERT_FILE=aero-test-root.cer"
set "TOOLS_DIR=%SystemDrive%\AeroGuestTools"
set "STATE_FILE=!TOOLS_DIR!\state.txt"
set "REPORT_FILE=!TOOLS_DIR!\verify.txt"
set "REPORT_TMP=!TOOLS_DIR!\verify.tmp"
set "WORK_FILE=!TOOLS_DIR!\verify.work"
set "CDDB_ROOT=HKLM\SYSTEM\CurrentControlSet\Control\CriticalDeviceDatabase"
set "SERVICES_ROOT=HKLM\SYSTEM\CurrentControlSet\Services"
set "NAME_CHARS=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
set "PROBLEMS=0"
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
del /f /q "!WORK_FILE!" >nul 2>&1
move /y "!REPORT_TMP!" "!REPORT_FILE!" >nul
if errorlevel 1 (
  echo verify.cmd: cannot write !REPORT_FILE!. 1>&2
  exit /b 13
)
if not defined OPT_quiet echo.Report: !REPORT_FILE!
if "!PROBLEMS!"=="0" exit /b 0
exit /b 1

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
if exist "!STATE_FILE!" (
  for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="cert" call :add_cert_pair "%%b"
)
if not defined CERT_PAIRS call :media_cert_pairs
if not defined CERT_PAIRS (
  call :problem "neither state.txt nor the media names the certificate; is the Guest Tools setup done?"
  exit /b 0
)
for %%p in (%CERT_PAIRS%) do call :check_cert "%%p"
exit /b 0

:add_cert_pair
rem Root:<sha1> or TrustedPublisher:<sha1>, each once.
set "PAIR=%~1"
set "PAIR_STORE="
set "PAIR_SHA1="
for /f "tokens=1,2 delims=:" %%a in ("%PAIR%") do (
  set "PAIR_STORE=%%a"
  set "PAIR_SHA1=%%b"
)
set "PAIR_OK="
if /i "!PAIR_STORE!"=="Root" set "PAIR_OK=1"
if /i "!PAIR_STORE!"=="TrustedPublisher" set "PAIR_OK=1"
if not defined PAIR_OK exit /b 0
call :check_sha1 "!PAIR_SHA1!"
if errorlevel 1 exit /b 0
if defined SEEN_PAIR_%PAIR_STORE%_%PAIR_SHA1% exit /b 0
set "SEEN_PAIR_%PAIR_STORE%_%PAIR_SHA1%=1"
set "CERT_PAIRS=!CERT_PAIRS! !PAIR_STORE!:!PAIR_SHA1!"
exit /b 0

:media_cert_pairs
if not defined MEDIA exit /b 0
set "MEDIA_CERT=!MEDIA!certs\!CERT_FILE!"
if not exist "!MEDIA_CERT!" exit /b 0
set "MEDIA_SHA1="
certutil -dump "!MEDIA_CERT!" >"!WORK_FILE!" 2>&1
if errorlevel 1 exit /b 0
for /f "usebackq tokens=1,* delims=:" %%a in ("%WORK_FILE%") do if /i "%%a"=="Cert Hash(sha1)" set "MEDIA_SHA1=%%b"
if not defined MEDIA_SHA1 exit /b 0
set "MEDIA_SHA1=%MEDIA_SHA1: =%"
call :line "  (no state.txt: checking certs\!CERT_FILE! from the media)"
call :add_cert_pair "Root:!MEDIA_SHA1!"
call :add_cert_pair "TrustedPublisher:!MEDIA_SHA1!"
exit /b 0

:check_cert
for /f "tokens=1,2 delims=:" %%a in ("%~1") do (
  set "CHECK_STORE=%%a"
  set "CHECK_SHA1=%%b"
)
certutil -store !CHECK_STORE! !CHECK_SHA1! >nul 2>&1
if errorlevel 1 (
  call :problem "!CHECK_SHA1! is missing from the !CHECK_STORE! store."
  exit /b 0
)
call :line "  !CHECK_STORE! store: present (SHA-1 !CHECK_SHA1!)"
exit /b 0

:section_drivers
call :line ""
set "CONFIG_FILE="
if defined MEDIA if exist "!MEDIA!config\devices.cmd" set "CONFIG_FILE=!MEDIA!config\devices.cmd"
if not defined CONFIG_FILE if exist "!TOOLS_DIR!\devices.cmd" set "CONFIG_FILE=!TOOLS_DIR!\devices.cmd"
if not defined CONFIG_FILE (
  call :line "Drivers:"
  call :problem "no config\devices.cmd on the media and none in !TOOLS_DIR!."
  exit /b 0
)
call :line "Drivers (from !CONFIG_FILE!):"
for /f "delims==" %%v in ('set AERO_ 2^>nul') do set "%%v="
rem devices.cmd only sets variables; its exit code is not used (Wine reports 1 for any non-zero).
call "!CONFIG_FILE!"
set "CHECKED_DRIVERS="
for %%d in (%AERO_DEVICES%) do call :check_device %%d
if not defined CHECKED_DRIVERS call :problem "devices.cmd names no valid device."
exit /b 0

:check_device
set "DEV=%~1"
call :check_chars "%DEV%" "%NAME_CHARS%"
if errorlevel 1 exit /b 0
set "DEV_SERVICE=!AERO_%DEV%_SERVICE!"
set "DEV_INF=!AERO_%DEV%_INF!"
call :check_chars "!DEV_SERVICE!" "%NAME_CHARS%"
if errorlevel 1 goto :bad_device
call :check_chars "!DEV_INF!" "%NAME_CHARS%-."
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
call :problem "devices.cmd: AERO_!DEV!_SERVICE or AERO_!DEV!_INF is missing or malformed."
exit /b 0

:check_driver
rem %1 driver base name, %2 service name.
set "CD_DRIVER=%~1"
set "CD_SERVICE=%~2"
call :line "  !CD_DRIVER!"
set "CD_OEM="
if exist "!STATE_FILE!" (
  for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="driver" call :match_driver_line "%%b"
)
if defined CD_OEM (
  if exist "%SystemRoot%\inf\!CD_OEM!" (
    call :line "    driver package: !CD_OEM! in the driver store"
  ) else (
    call :problem "driver package !CD_OEM! was installed by setup.cmd but is no longer in the driver store."
  )
) else (
  call :line "    driver package: not installed by setup.cmd"
)
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
set "CD_COUNT=0"
reg query "!CD_KEY!\Enum" >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do call :enum_value "%%a" "%%b" "%%c"
call :line "    bound devices: !CD_COUNT!"
set "CD_FILE=%SystemRoot%\System32\drivers\!CD_DRIVER!.sys"
if exist "!CD_FILE!" call :signature "!CD_FILE!"
if defined MEDIA call :media_catalog "!CD_DRIVER!"
exit /b 0

:match_driver_line
for /f "tokens=1,2 delims=:" %%a in ("%~1") do if /i "%%a"=="!CD_DRIVER!" set "CD_OEM=%%b"
exit /b 0

:enum_value
rem Services\<name>\Enum holds Count and one value 0, 1, ... per device the driver runs.
if /i "%~1"=="Count" exit /b 0
if /i not "%~2"=="REG_SZ" exit /b 0
call :check_chars "%~1" "0123456789"
if errorlevel 1 exit /b 0
set /a CD_COUNT+=1
call :line "      %~3"
exit /b 0

:start_name
set "START_NAME=unknown"
if /i "%~1"=="0x0" set "START_NAME=boot"
if /i "%~1"=="0x1" set "START_NAME=system"
if /i "%~1"=="0x2" set "START_NAME=automatic"
if /i "%~1"=="0x3" set "START_NAME=on demand"
if /i "%~1"=="0x4" set "START_NAME=disabled"
exit /b 0

:media_catalog
set "MC_FILE=!MEDIA!drivers\%~1\!ARCH!\%~1.cat"
if exist "!MC_FILE!" call :signature "!MC_FILE!"
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
call :line ""
call :line "Boot pre-seeding of virtio-blk:"
set "PRESEED_FOUND="
if exist "!STATE_FILE!" (
  for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do call :check_preseed_line "%%a" "%%b"
)
if not defined PRESEED_FOUND call :line "  not done (setup.cmd /skipstorage, or setup.cmd has not run)"
exit /b 0

:check_preseed_line
if /i "%~1"=="preseed_service" goto :check_preseed_service
if /i "%~1"=="preseed_file" goto :check_preseed_file
if /i "%~1"=="cddb" goto :check_preseed_cddb
exit /b 0

:check_preseed_service
set "PRESEED_FOUND=1"
set "PS_SERVICE=%~2"
call :check_chars "%PS_SERVICE%" "%NAME_CHARS%"
if errorlevel 1 exit /b 0
set "PS_START="
reg query "!SERVICES_ROOT!\!PS_SERVICE!" /v Start >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do if /i "%%a"=="Start" set "PS_START=%%c"
if not defined PS_START (
  call :problem "the service !PS_SERVICE! is missing."
  exit /b 0
)
if /i not "!PS_START!"=="0x0" (
  call :problem "the service !PS_SERVICE! has Start=!PS_START!; a boot driver needs 0x0."
  exit /b 0
)
call :line "  service !PS_SERVICE!: Start=0x0 (boot)"
exit /b 0

:check_preseed_file
set "PRESEED_FOUND=1"
if exist "%~2" (
  call :line "  file %~2: present"
  exit /b 0
)
call :problem "the file %~2 is missing."
exit /b 0

:check_preseed_cddb
set "PRESEED_FOUND=1"
set "PC_KEY=%~2"
set "PC_SERVICE="
reg query "!CDDB_ROOT!\!PC_KEY!" /v Service >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do if /i "%%a"=="Service" set "PC_SERVICE=%%c"
if not defined PC_SERVICE (
  call :problem "CriticalDeviceDatabase\!PC_KEY! is missing."
  exit /b 0
)
call :line "  CriticalDeviceDatabase\!PC_KEY!: !PC_SERVICE!"
exit /b 0

rem ---- Helpers --------------------------------------------------------------------------------

:line
set "LINE_TEXT=%~1"
if not defined OPT_quiet echo.!LINE_TEXT!
>>"!REPORT_TMP!" echo.!LINE_TEXT!
exit /b 0

:problem
set /a PROBLEMS+=1
call :line "  PROBLEM: %~1"
exit /b 0

:check_sha1
call :check_chars "%~1" "0123456789abcdefABCDEF"
if errorlevel 1 exit /b 1
set "SHA1_VALUE=%~1"
if "%SHA1_VALUE:~39%"=="" exit /b 1
if not "%SHA1_VALUE:~40%"=="" exit /b 1
exit /b 0

:check_chars
rem Exit code 1 if %1 is empty or has a character outside the set %2.
if "%~1"=="" exit /b 1
for /f "delims=%~2" %%x in ("A%~1") do exit /b 1
exit /b 0

:usage
echo Aero Guest Tools check for Windows 7. Run it as administrator for a complete report.
echo Reports test signing, the test certificate, each driver's package, service, bound devices
echo and signature, and the virtio-blk boot pre-seeding, to the console and to
echo %SystemDrive%\AeroGuestTools\verify.txt.
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
