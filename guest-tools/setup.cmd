@echo off
rem Aero Guest Tools installer for Windows 7 (x86 and x64). "setup.cmd /?" lists the switches and
rem exit codes; docs/guest-tools.md in the source tree explains each step. The script keeps to the
rem cmd subset that behaves the same on Windows 7 and under Wine 8 (guest-tools/tests/cmdlint.py).
setlocal EnableExtensions DisableDelayedExpansion

rem A 32-bit cmd on 64-bit Windows sees redirected System32 and registry views: run the script
rem again in the 64-bit cmd and hand back its exit code.
if defined PROCESSOR_ARCHITEW6432 goto :relaunch_64bit

rem The media path is read before delayed expansion is on, which would drop any "!" in it.
set "MEDIA=%~dp0"
if not "%MEDIA:!=%"=="%MEDIA%" goto :bang_in_path
rem Scratch file for tool output (also used by /check, so not in the log folder).
set "WORK_FILE=%TEMP%\aero-guest-tools-%RANDOM%.tmp"
if not defined TEMP set "WORK_FILE=%SystemRoot%\Temp\aero-guest-tools-%RANDOM%.tmp"
if not "%WORK_FILE:!=%"=="%WORK_FILE%" set "WORK_FILE=%SystemRoot%\Temp\aero-guest-tools-%RANDOM%.tmp"
set "CHECK_FILE=%WORK_FILE%.chk"
setlocal EnableDelayedExpansion

rem ---- Settings -------------------------------------------------------------------------------
rem Public certificates on the media (certs\ folder, DER): the root of the signing chain goes
rem into the Root store, the signing certificate into TrustedPublisher.
set "ROOT_CERT_FILE=aero-test-root.cer"
set "PUBLISHER_CERT_FILE=aero-test-publisher.cer"
rem devices.cmd key of the boot storage device, and what its boot pre-seeding writes.
set "STORAGE_DEVICE=VIRTIO_BLK"
set "SCSI_ADAPTER_CLASS={4D36E97B-E325-11CE-BFC1-08002BE10318}"
set "STORAGE_CLASS_CODES=CC_010000 CC_0100"
set "STORAGE_GROUP=SCSI miniport"
rem Where the log, the state file (what setup changed) and the verify report live.
set "TOOLS_DIR=%SystemDrive%\AeroGuestTools"
set "CONTROL_SET=HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet"
set "NAME_CHARS=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

set "EXIT_CODE=0"
set "REBOOT_NEEDED="
set "LOG_FILE="
set "STATE_FILE="
for %%o in (check quiet stageonly skipstorage force noreboot) do set "OPT_%%o="

:parse_args
if "%~1"=="" goto :args_done
if "%~1"=="/?" goto :usage
if /i "%~1"=="/help" goto :usage
set "ARG_KNOWN="
for %%o in (check quiet stageonly skipstorage force noreboot) do (
  if /i "%~1"=="/%%o" (
    set "OPT_%%o=1"
    set "ARG_KNOWN=1"
  )
)
if not defined ARG_KNOWN (
  echo setup.cmd: unknown switch "%~1"; "setup.cmd /?" lists the switches. 1>&2
  exit /b 2
)
shift
goto :parse_args

:args_done
call :say "Aero Guest Tools setup"
call :check_admin
if errorlevel 1 goto :finish
if not defined OPT_check call :open_log
if errorlevel 1 goto :finish
call :check_system
if errorlevel 1 goto :finish
call :load_config
if errorlevel 1 goto :finish
call :check_media
if errorlevel 1 goto :finish
call :read_certificate
if errorlevel 1 goto :finish
call :decide_testsigning
if errorlevel 1 goto :finish
if defined OPT_check goto :show_plan

call :install_certificate
if errorlevel 1 goto :finish
if "!TESTSIGNING_ACTION!"=="enable" call :enable_testsigning
if errorlevel 1 goto :finish
call :install_drivers
if errorlevel 1 goto :finish
call :preseed_storage
if errorlevel 1 goto :finish
call :say "Done. Run verify.cmd to see the installed state."

:finish
del /f /q "!WORK_FILE!" "!CHECK_FILE!" >nul 2>&1
if "%EXIT_CODE%"=="0" if defined REBOOT_NEEDED set "EXIT_CODE=3010"
if "%EXIT_CODE%"=="3010" call :offer_restart
if "%EXIT_CODE%"=="0" call :say "setup.cmd finished: exit code 0."
if not "%EXIT_CODE%"=="0" call :say "setup.cmd finished: exit code %EXIT_CODE%."
exit /b %EXIT_CODE%

rem ---- Steps ----------------------------------------------------------------------------------

:check_admin
rem fsutil needs administrator rights and, unlike "net session", does not depend on the Server
rem service.
fsutil dirty query %SystemDrive% >nul 2>&1
if errorlevel 1 (
  call :fail 10 "Administrator rights are required: right-click setup.cmd and choose Run as administrator."
  exit /b 10
)
exit /b 0

:open_log
if not exist "!TOOLS_DIR!\" mkdir "!TOOLS_DIR!" >nul 2>&1
rem Only administrators and SYSTEM may change what uninstall.cmd acts on later.
icacls "!TOOLS_DIR!" /setowner *S-1-5-32-544 /T /C /Q >nul 2>&1
icacls "!TOOLS_DIR!" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F /T /C /Q >nul 2>&1
if errorlevel 1 (
  call :fail 13 "Cannot restrict access to !TOOLS_DIR! to administrators."
  exit /b 13
)
>>"!TOOLS_DIR!\install.log" echo.
if not exist "!TOOLS_DIR!\install.log" (
  call :fail 13 "Cannot write the log in !TOOLS_DIR!."
  exit /b 13
)
set "LOG_FILE=!TOOLS_DIR!\install.log"
set "STATE_FILE=!TOOLS_DIR!\state.txt"
if not exist "!STATE_FILE!" (
  >"!STATE_FILE!" echo.# Aero Guest Tools: changes made by setup.cmd; uninstall.cmd reverts them.
)
if not exist "!STATE_FILE!" (
  call :fail 13 "Cannot write the state file !STATE_FILE!."
  exit /b 13
)
call :say "setup.cmd %DATE% %TIME% from !MEDIA!"
exit /b 0

:check_system
set "ARCH="
if /i "%PROCESSOR_ARCHITECTURE%"=="AMD64" set "ARCH=amd64"
if /i "%PROCESSOR_ARCHITECTURE%"=="x86" set "ARCH=x86"
if not defined ARCH (
  call :fail 11 "Unsupported processor architecture '!PROCESSOR_ARCHITECTURE!': the Guest Tools are for x86 and x64."
  exit /b 11
)
set "NT_VERSION="
set "PRODUCT_NAME="
reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do (
  if /i "%%a"=="CurrentVersion" set "NT_VERSION=%%c"
  if /i "%%a"=="ProductName" set "PRODUCT_NAME=%%c"
)
if not "!NT_VERSION!"=="6.1" (
  call :fail 11 "This is Windows version '!NT_VERSION!' (!PRODUCT_NAME!); the Guest Tools need Windows 7 (version 6.1)."
  exit /b 11
)
call :say "System: !PRODUCT_NAME! (6.1), !ARCH!."
exit /b 0

:load_config
set "CONFIG_FILE=!MEDIA!config\devices.cmd"
if not exist "!CONFIG_FILE!" (
  call :fail 12 "config\devices.cmd is missing: the media is incomplete."
  exit /b 12
)
set "AERO_DEVICES="
rem devices.cmd only sets variables; its exit code is not used (Wine reports 1 for any non-zero).
call "!CONFIG_FILE!"
if not defined AERO_DEVICES (
  call :fail 12 "config\devices.cmd defines no devices (AERO_DEVICES is empty)."
  exit /b 12
)
set "CONFIG_BAD="
set "DRIVERS="
set "STORAGE_DRIVER="
for %%d in (%AERO_DEVICES%) do call :load_device %%d
if defined CONFIG_BAD (
  call :fail 12 "config\devices.cmd is invalid (see the messages above)."
  exit /b 12
)
if not defined STORAGE_DRIVER (
  call :fail 12 "config\devices.cmd has no !STORAGE_DEVICE! device."
  exit /b 12
)
exit /b 0

:load_device
rem Reads AERO_<device>_SERVICE, _INF and _HWIDS and adds the device's driver to DRIVERS once.
set "DEV=%~1"
set "CHECK_VALUE=!DEV!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 goto :bad_device_name
set "DEV_SERVICE=!AERO_%DEV%_SERVICE!"
set "DEV_INF=!AERO_%DEV%_INF!"
set "DEV_HWIDS=!AERO_%DEV%_HWIDS!"
if not defined DEV_SERVICE goto :bad_device_value
if not defined DEV_INF goto :bad_device_value
if not defined DEV_HWIDS goto :bad_device_value
set "CHECK_VALUE=!DEV_SERVICE!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 goto :bad_device_value
set "CHECK_VALUE=!DEV_INF!"
call :check_chars "%NAME_CHARS%-."
if errorlevel 1 goto :bad_device_value
if /i not "%DEV_INF:~-4%"==".inf" goto :bad_device_value
set "DEV_DRIVER=%DEV_INF:~0,-4%"
if not defined DEV_DRIVER goto :bad_device_value
set "HWID_BAD="
set "HWID_COUNT=0"
for %%h in (%DEV_HWIDS%) do call :check_hwid "%%~h"
if defined HWID_BAD goto :bad_device_value
if "!HWID_COUNT!"=="0" goto :bad_device_value
if /i "%DEV%"=="%STORAGE_DEVICE%" (
  set "STORAGE_DRIVER=!DEV_DRIVER!"
  set "STORAGE_SERVICE=!DEV_SERVICE!"
  set "STORAGE_HWIDS=!DEV_HWIDS!"
)
if defined DRIVER_SEEN_%DEV_DRIVER% exit /b 0
set "DRIVER_SEEN_%DEV_DRIVER%=1"
set "DRIVERS=!DRIVERS! !DEV_DRIVER!"
exit /b 0

:bad_device_name
call :say "config\devices.cmd: '!DEV!' is not a valid device key."
set "CONFIG_BAD=1"
exit /b 0

:bad_device_value
call :say "config\devices.cmd: AERO_!DEV!_SERVICE, _INF or _HWIDS is missing or malformed."
set "CONFIG_BAD=1"
exit /b 0

:check_hwid
rem A hardware ID is PCI\ followed by letters, digits, "_" and "&".
set "HWID=%~1"
set /a HWID_COUNT+=1
if /i not "%HWID:~0,4%"=="PCI\" set "HWID_BAD=1"
set "CHECK_VALUE=%HWID:~4%"
call :check_chars "%NAME_CHARS%&"
if errorlevel 1 set "HWID_BAD=1"
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

:check_media
for %%c in ("%ROOT_CERT_FILE%" "%PUBLISHER_CERT_FILE%") do (
  if not exist "!MEDIA!certs\%%~c" (
    call :fail 12 "certs\%%~c is missing: the media is incomplete."
    exit /b 12
  )
)
set "MEDIA_BAD="
set "MEDIA_DRIVERS="
for %%d in (%DRIVERS%) do call :check_package %%d
if defined MEDIA_BAD (
  call :fail 12 "A driver package on the media is incomplete (see the messages above)."
  exit /b 12
)
if not defined MEDIA_DRIVERS (
  call :fail 12 "The media has no driver packages for !ARCH!."
  exit /b 12
)
if defined OPT_skipstorage exit /b 0
if defined ON_MEDIA_%STORAGE_DRIVER% exit /b 0
call :fail 12 "The storage driver !STORAGE_DRIVER! is not on the media; run setup.cmd /skipstorage to install the other drivers."
exit /b 12

:check_package
rem A driver that is not on the media is skipped; a folder without all three files is an error.
set "PKG_DIR=!MEDIA!drivers\%~1"
if not exist "!PKG_DIR!\" (
  call :say "  %~1: not on this media, skipped."
  exit /b 0
)
set "PKG_MISSING="
for %%e in (inf sys cat) do if not exist "!PKG_DIR!\!ARCH!\%~1.%%e" set "PKG_MISSING=!PKG_MISSING! %~1.%%e"
if defined PKG_MISSING (
  call :say "  %~1: drivers\%~1\!ARCH! lacks!PKG_MISSING!."
  set "MEDIA_BAD=1"
  exit /b 0
)
set "ON_MEDIA_%~1=1"
set "MEDIA_DRIVERS=!MEDIA_DRIVERS! %~1"
exit /b 0

:read_certificate
rem The SHA-1 thumbprints identify the certificates for uninstall.cmd and verify.cmd.
call :certificate_sha1 "%ROOT_CERT_FILE%"
if errorlevel 1 exit /b 20
set "ROOT_SHA1=!CERT_SHA1!"
call :certificate_sha1 "%PUBLISHER_CERT_FILE%"
if errorlevel 1 exit /b 20
set "PUBLISHER_SHA1=!CERT_SHA1!"
exit /b 0

:certificate_sha1
rem CERT_SHA1 = thumbprint of certs\%1, the SHA-1 of the DER file. The hex line of certutil's
rem hash output does not depend on the display language (the "certutil -dump" labels do).
set "CERT_SHA1="
certutil -hashfile "!MEDIA!certs\%~1" >"!WORK_FILE!" 2>&1
if errorlevel 1 goto :bad_certificate
for /f "usebackq delims=" %%l in ("%WORK_FILE%") do (
  set "HASH_LINE=%%l"
  call :hash_line
)
if not defined CERT_SHA1 goto :bad_certificate
call :say "Certificate: certs\%~1, SHA-1 !CERT_SHA1!."
exit /b 0

:bad_certificate
call :fail 20 "certutil could not read the SHA-1 thumbprint of certs\%~1."
exit /b 20

:hash_line
rem The line of 20 hex bytes (Windows 7 separates them with spaces) is the SHA-1.
set "HASH_LINE=%HASH_LINE: =%"
set "CHECK_VALUE=!HASH_LINE!"
call :check_chars "0123456789abcdefABCDEF"
if errorlevel 1 exit /b 0
if "%HASH_LINE:~39%"=="" exit /b 0
if not "%HASH_LINE:~40%"=="" exit /b 0
set "CERT_SHA1=!HASH_LINE!"
exit /b 0

:decide_testsigning
rem 64-bit Windows 7 loads test-signed kernel drivers only with test signing on.
set "TESTSIGNING_ACTION=none"
if not "!ARCH!"=="amd64" exit /b 0
call :read_testsigning
if errorlevel 1 exit /b 30
if "!TESTSIGNING!"=="on" (
  call :say "Test signing: already on."
  exit /b 0
)
if defined OPT_force (
  set "TESTSIGNING_ACTION=enable"
  exit /b 0
)
if defined OPT_quiet (
  call :fail 31 "Test signing is off and /quiet cannot ask: add /force to turn it on."
  exit /b 31
)
if defined OPT_check (
  set "TESTSIGNING_ACTION=ask"
  exit /b 0
)
echo.
echo The drivers on this media are test-signed. 64-bit Windows 7 loads them only with test
echo signing on; Windows then shows "Test Mode" on the desktop. uninstall.cmd turns it off again.
set "ANSWER="
set /p "ANSWER=Turn on test signing now? [y/N] "
if /i "!ANSWER!"=="y" set "TESTSIGNING_ACTION=enable"
if /i "!ANSWER!"=="yes" set "TESTSIGNING_ACTION=enable"
if "!TESTSIGNING_ACTION!"=="enable" exit /b 0
call :fail 31 "Test signing was not turned on, so the drivers could not load; nothing was changed."
exit /b 31

:read_testsigning
set "TESTSIGNING=off"
bcdedit /enum {current} >"!WORK_FILE!" 2>&1
if errorlevel 1 (
  call :fail 30 "bcdedit could not read the boot configuration."
  exit /b 30
)
for /f "usebackq tokens=1,2" %%a in ("%WORK_FILE%") do if /i "%%a"=="testsigning" if /i "%%b"=="Yes" set "TESTSIGNING=on"
exit /b 0

:show_plan
call :say "Check passed; setup.cmd would:"
call :say "  add certs\!ROOT_CERT_FILE! to the Root store"
call :say "  add certs\!PUBLISHER_CERT_FILE! to the TrustedPublisher store"
if "!TESTSIGNING_ACTION!"=="enable" call :say "  turn on test signing (bcdedit)"
if "!TESTSIGNING_ACTION!"=="ask" call :say "  ask to turn on test signing (bcdedit)"
for %%d in (%MEDIA_DRIVERS%) do call :say "  install drivers\%%d\!ARCH!\%%d.inf with pnputil"
if defined OPT_stageonly call :say "  (stage only: pnputil -a without -i)"
if not defined OPT_skipstorage call :say "  pre-seed !STORAGE_DRIVER! as a boot driver"
call :say "No changes were made (/check)."
goto :finish

:install_certificate
call :add_certificate Root "%ROOT_CERT_FILE%" "!ROOT_SHA1!"
if errorlevel 1 exit /b 20
call :add_certificate TrustedPublisher "%PUBLISHER_CERT_FILE%" "!PUBLISHER_SHA1!"
if errorlevel 1 exit /b 20
exit /b 0

:add_certificate
rem %1 store, %2 file in certs\, %3 its SHA-1.
call :say "Adding certs\%~2 to the %~1 store."
certutil -addstore %~1 "!MEDIA!certs\%~2" >>"!LOG_FILE!" 2>&1
if errorlevel 1 (
  call :fail 20 "certutil could not add certs\%~2 to the %~1 store."
  exit /b 20
)
call :record cert "%~1:%~3"
exit /b 0

:enable_testsigning
call :say "Turning on test signing."
bcdedit /set testsigning on >>"!LOG_FILE!" 2>&1
if errorlevel 1 (
  call :fail 30 "bcdedit could not turn on test signing."
  exit /b 30
)
call :record testsigning on
set "REBOOT_NEEDED=1"
exit /b 0

:install_drivers
set "INSTALL_FAILED="
call :snapshot_oem_infs
for %%d in (%MEDIA_DRIVERS%) do call :install_driver %%d
if defined INSTALL_FAILED exit /b 40
exit /b 0

:install_driver
if defined INSTALL_FAILED exit /b 40
set "INF_PATH=!MEDIA!drivers\%~1\!ARCH!\%~1.inf"
if defined OPT_stageonly (
  call :say "Staging %~1 in the driver store."
  pnputil -a "!INF_PATH!" >"!WORK_FILE!" 2>&1
) else (
  call :say "Installing %~1."
  pnputil -i -a "!INF_PATH!" >"!WORK_FILE!" 2>&1
)
set "PNP_RC=!ERRORLEVEL!"
type "!WORK_FILE!" >>"!LOG_FILE!" 2>nul
rem "Published name :            oem5.inf" names the package in the driver store.
set "PUBLISHED="
for /f "usebackq tokens=1,2,3,4" %%a in ("%WORK_FILE%") do (
  if /i "%%a %%b %%c"=="Published name :" set "PUBLISHED=%%d"
  if /i "%%a %%b"=="Published name:" set "PUBLISHED=%%c"
)
rem Localized pnputil output has no "Published name": use the one oem*.inf that appeared.
if not defined PUBLISHED call :find_new_oem_inf
if defined PUBLISHED call :check_oem_name "!PUBLISHED!"
if errorlevel 1 set "PUBLISHED="
if defined PUBLISHED call :record driver "%~1:!PUBLISHED!"
if defined PUBLISHED set "OEM_BEFORE_%PUBLISHED:~0,-4%=1"
rem 259: added, but no device to install it on yet. 3010: installed, restart needed.
set "PNP_OK="
if "!PNP_RC!"=="0" set "PNP_OK=1"
if "!PNP_RC!"=="259" set "PNP_OK=1"
if "!PNP_RC!"=="3010" set "PNP_OK=1"
if "!PNP_RC!"=="3010" set "REBOOT_NEEDED=1"
if not defined PNP_OK (
  set "INSTALL_FAILED=1"
  call :fail 40 "pnputil failed for %~1.inf with exit code !PNP_RC! (details in install.log)."
  exit /b 40
)
if not defined PUBLISHED (
  set "INSTALL_FAILED=1"
  call :fail 40 "pnputil did not report the published name of %~1.inf."
  exit /b 40
)
call :say "  %~1: !PUBLISHED!"
exit /b 0

:snapshot_oem_infs
rem OEM_BEFORE_<name> marks the oem*.inf files that belong to no driver of this run.
pushd "%SystemRoot%\inf"
if errorlevel 1 exit /b 0
for %%f in (oem*.inf) do set "OEM_BEFORE_%%~nf=1"
popd
exit /b 0

:find_new_oem_inf
set "NEW_OEM="
set "NEW_OEM_COUNT=0"
pushd "%SystemRoot%\inf"
if errorlevel 1 exit /b 0
for %%f in (oem*.inf) do (
  if not defined OEM_BEFORE_%%~nf (
    set "NEW_OEM=%%f"
    set /a NEW_OEM_COUNT+=1
  )
)
popd
if "!NEW_OEM_COUNT!"=="1" set "PUBLISHED=!NEW_OEM!"
exit /b 0

:check_oem_name
rem oem<digits>.inf, the only names pnputil publishes.
set "OEM_NAME=%~1"
if /i not "%OEM_NAME:~0,3%"=="oem" exit /b 1
if /i not "%OEM_NAME:~-4%"==".inf" exit /b 1
set "CHECK_VALUE=%OEM_NAME:~3,-4%"
call :check_chars "0123456789"
if errorlevel 1 exit /b 1
exit /b 0

:preseed_storage
rem Lets Windows start from a virtio-blk system disk before the device was ever installed:
rem the driver file, a boot-start service and CriticalDeviceDatabase entries for its IDs.
rem One reg import writes all values except ImagePath (REG_EXPAND_SZ, which needs reg add).
if defined OPT_skipstorage (
  call :say "Boot pre-seeding skipped (/skipstorage)."
  exit /b 0
)
call :say "Pre-seeding !STORAGE_DRIVER! as a boot driver."
set "SYS_SOURCE=!MEDIA!drivers\!STORAGE_DRIVER!\!ARCH!\!STORAGE_DRIVER!.sys"
set "SYS_TARGET=%SystemRoot%\System32\drivers\!STORAGE_DRIVER!.sys"
call :record preseed_file "!SYS_TARGET!"
copy /y "!SYS_SOURCE!" "!SYS_TARGET!" >nul
if errorlevel 1 goto :preseed_failed
set "SERVICE_KEY=!CONTROL_SET!\Services\!STORAGE_SERVICE!"
set "REG_FILE=!TOOLS_DIR!\preseed.reg"
call :record preseed_service "!STORAGE_SERVICE!"
>"!REG_FILE!" echo.REGEDIT4
>>"!REG_FILE!" echo.
>>"!REG_FILE!" echo.[!SERVICE_KEY!]
>>"!REG_FILE!" echo."Type"=dword:00000001
>>"!REG_FILE!" echo."Start"=dword:00000000
>>"!REG_FILE!" echo."ErrorControl"=dword:00000001
>>"!REG_FILE!" echo."Group"="!STORAGE_GROUP!"
rem What a storage miniport INF adds: the miniport supports the PCI bus interface (5).
>>"!REG_FILE!" echo.
>>"!REG_FILE!" echo.[!SERVICE_KEY!\Parameters\PnpInterface]
>>"!REG_FILE!" echo."5"=dword:00000001
for %%h in (%STORAGE_HWIDS%) do call :preseed_hwid "%%~h"
>>"!REG_FILE!" echo.
type "!REG_FILE!" >>"!LOG_FILE!" 2>nul
reg import "!REG_FILE!" >>"!LOG_FILE!" 2>&1
if errorlevel 1 goto :preseed_failed
del /f /q "!REG_FILE!" >nul 2>&1
reg add "!SERVICE_KEY!" /v ImagePath /t REG_EXPAND_SZ /d "\SystemRoot\System32\drivers\!STORAGE_DRIVER!.sys" /f >nul
if errorlevel 1 goto :preseed_failed
exit /b 0

:preseed_failed
call :fail 50 "Boot pre-seeding of !STORAGE_DRIVER! failed (details in install.log)."
exit /b 50

:preseed_hwid
rem The ID itself, and VEN&DEV with the mass-storage class codes that Windows also reports.
set "PRESEED_ID=%~1"
call :preseed_cddb_key "%PRESEED_ID%"
for /f "tokens=1,2 delims=&" %%a in ("%PRESEED_ID%") do set "PRESEED_BASE=%%a&%%b"
for %%c in (%STORAGE_CLASS_CODES%) do call :preseed_cddb_key "!PRESEED_BASE!&%%c"
exit /b 0

:preseed_cddb_key
rem Adds one CriticalDeviceDatabase key (\ becomes #) to the .reg file, once.
set "CDDB_KEY=%~1"
set "CDDB_KEY=%CDDB_KEY:\=#%"
set "CDDB_FLAG=%CDDB_KEY:&=_%"
if defined CDDB_DONE_%CDDB_FLAG% exit /b 0
set "CDDB_DONE_%CDDB_FLAG%=1"
call :record cddb "!CDDB_KEY!"
>>"!REG_FILE!" echo.
>>"!REG_FILE!" echo.[!CONTROL_SET!\Control\CriticalDeviceDatabase\!CDDB_KEY!]
>>"!REG_FILE!" echo."ClassGUID"="!SCSI_ADAPTER_CLASS!"
>>"!REG_FILE!" echo."Service"="!STORAGE_SERVICE!"
exit /b 0

:offer_restart
if defined OPT_noreboot (
  call :say "Restart Windows to finish the installation (/noreboot: not restarting)."
  exit /b 0
)
if defined OPT_quiet goto :restart_now
set "ANSWER="
set /p "ANSWER=Restart Windows now to finish the installation? [y/N] "
if /i "!ANSWER!"=="y" goto :restart_now
call :say "Restart Windows later to finish the installation."
exit /b 0

:restart_now
call :say "Restarting Windows in 10 seconds."
shutdown /r /t 10 /c "Aero Guest Tools: restarting to finish the installation" >>"!LOG_FILE!" 2>&1
if errorlevel 1 call :say "WARNING: shutdown failed; restart Windows yourself."
exit /b 0

rem ---- Helpers --------------------------------------------------------------------------------

:say
rem Prints a message (not with /quiet) and appends it to the log once the log is open.
set "SAY_TEXT=%~1"
if not defined OPT_quiet echo.!SAY_TEXT!
if defined LOG_FILE (
  >>"!LOG_FILE!" echo.!SAY_TEXT!
)
exit /b 0

:fail
rem Reports an error (also with /quiet) and keeps its code as the exit code.
set "EXIT_CODE=%~1"
set "FAIL_TEXT=%~2"
echo.ERROR: !FAIL_TEXT! 1>&2
if defined LOG_FILE (
  >>"!LOG_FILE!" echo.ERROR %~1: !FAIL_TEXT!
)
exit /b 0

:record
rem Appends "key=value" to the state file that uninstall.cmd reads.
set "RECORD_LINE=%~1=%~2"
>>"!STATE_FILE!" echo.!RECORD_LINE!
exit /b 0

:usage
echo Aero Guest Tools setup for Windows 7 (x86 and x64). Run it as administrator.
echo.
echo   setup.cmd [/check] [/quiet] [/stageonly] [/skipstorage] [/force] [/noreboot]
echo.
echo   /check        validate the system and the media, show the plan, change nothing
echo   /quiet        no questions and no messages except errors; restarts Windows when
echo                 needed unless /noreboot is given
echo   /stageonly    add the drivers to the driver store without installing them on devices
echo   /skipstorage  do not pre-seed the virtio-blk boot driver
echo   /force        turn on test signing (x64) without asking
echo   /noreboot     never restart Windows
echo.
echo Log and state: %SystemDrive%\AeroGuestTools\install.log and state.txt
echo.
echo Exit codes:
echo    0  success                        20  certificate could not be installed
echo    2  unknown switch                 30  test signing could not be read or turned on
echo 3010  success, restart needed        31  test signing is off and was not turned on
echo   10  not run as administrator       40  a driver package could not be installed
echo   11  not Windows 7, or unsupported  50  boot pre-seeding of virtio-blk failed
echo       processor architecture
echo   12  media incomplete or invalid
echo   13  cannot write %SystemDrive%\AeroGuestTools
exit /b 0

:relaunch_64bit
if not exist "%SystemRoot%\Sysnative\cmd.exe" goto :no_64bit_cmd
"%SystemRoot%\Sysnative\cmd.exe" /c ^""%~f0" %*^"
exit /b %ERRORLEVEL%

:no_64bit_cmd
echo setup.cmd: this 32-bit command prompt cannot reach the 64-bit cmd.exe; run setup.cmd from a 64-bit command prompt. 1>&2
exit /b 11

:bang_in_path
echo setup.cmd: the media path contains "!", which cmd cannot handle; copy the media to a folder without "!" and run setup.cmd there. 1>&2
exit /b 12
