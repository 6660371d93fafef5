@echo off
rem Aero Guest Tools uninstaller for Windows 7: reverts what setup.cmd recorded in
rem %SystemDrive%\AeroGuestTools\state.txt. "uninstall.cmd /?" lists the switches and exit codes.
rem Keeps to the cmd subset checked by guest-tools/tests/cmdlint.py (Windows 7 and Wine 8 agree).
setlocal EnableExtensions DisableDelayedExpansion

rem A 32-bit cmd on 64-bit Windows sees redirected System32 and registry views: run the script
rem again in the 64-bit cmd and hand back its exit code.
if defined PROCESSOR_ARCHITEW6432 goto :relaunch_64bit
setlocal EnableDelayedExpansion

set "TOOLS_DIR=%SystemDrive%\AeroGuestTools"
set "STATE_FILE=!TOOLS_DIR!\state.txt"
set "KEEP_FILE=!TOOLS_DIR!\state.tmp"
set "WORK_FILE=!TOOLS_DIR!\uninstall.tmp"
set "CDDB_ROOT=HKLM\SYSTEM\CurrentControlSet\Control\CriticalDeviceDatabase"
set "SERVICES_ROOT=HKLM\SYSTEM\CurrentControlSet\Services"
set "NAME_CHARS=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

set "EXIT_CODE=0"
set "REBOOT_NEEDED="
set "LOG_FILE="
set "KEPT="
for %%o in (quiet force noreboot) do set "OPT_%%o="

:parse_args
if "%~1"=="" goto :args_done
if "%~1"=="/?" goto :usage
if /i "%~1"=="/help" goto :usage
set "ARG_KNOWN="
for %%o in (quiet force noreboot) do (
  if /i "%~1"=="/%%o" (
    set "OPT_%%o=1"
    set "ARG_KNOWN=1"
  )
)
if not defined ARG_KNOWN (
  echo uninstall.cmd: unknown switch "%~1"; "uninstall.cmd /?" lists the switches. 1>&2
  exit /b 2
)
shift
goto :parse_args

:args_done
call :say "Aero Guest Tools uninstall"
fsutil dirty query %SystemDrive% >nul 2>&1
if errorlevel 1 (
  call :fail 10 "Administrator rights are required: right-click uninstall.cmd and choose Run as administrator."
  goto :finish
)
if not exist "!STATE_FILE!" (
  call :say "Nothing to uninstall: !STATE_FILE! does not exist."
  goto :finish
)
>>"!TOOLS_DIR!\uninstall.log" echo.
if not exist "!TOOLS_DIR!\uninstall.log" (
  call :fail 13 "Cannot write the log in !TOOLS_DIR!."
  goto :finish
)
set "LOG_FILE=!TOOLS_DIR!\uninstall.log"
call :say "uninstall.cmd %DATE% %TIME%"
>"!KEEP_FILE!" echo.# Aero Guest Tools: changes made by setup.cmd; uninstall.cmd reverts them.
if not exist "!KEEP_FILE!" (
  call :fail 13 "Cannot write !KEEP_FILE!."
  goto :finish
)

rem Without the boot pre-seeding and test signing, Windows cannot start from a virtio-blk system
rem disk: refuse while the storage driver runs, unless /force.
set "STORAGE_RUNNING="
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="preseed_service" call :check_running "%%b"
if defined STORAGE_RUNNING if not defined OPT_force (
  call :fail 60 "The storage driver !STORAGE_RUNNING! is running, so the system disk may depend on it. Move the disk to another controller first, or run uninstall.cmd /force."
  del /f /q "!KEEP_FILE!" >nul 2>&1
  goto :finish
)

rem Drivers first, then the boot pre-seeding, the certificates and last test signing.
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="driver" call :remove_driver "%%b"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="cddb" call :remove_cddb "%%b"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="preseed_service" call :remove_service "%%b"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="preseed_file" call :remove_file "%%b"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="cert" call :remove_certificate "%%b"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do if /i "%%a"=="testsigning" call :remove_testsigning "%%b"
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do call :check_known_key "%%a" "%%b"

rem The state file keeps only what could not be reverted (temp file, then rename).
if defined KEPT (
  move /y "!KEEP_FILE!" "!STATE_FILE!" >nul
  call :say "Some changes could not be reverted; they stay in !STATE_FILE! for another run."
) else (
  del /f /q "!KEEP_FILE!" >nul 2>&1
  del /f /q "!STATE_FILE!" >nul 2>&1
  del /f /q "!TOOLS_DIR!\devices.cmd" >nul 2>&1
  call :say "Everything setup.cmd recorded has been reverted."
)

:finish
if "%EXIT_CODE%"=="0" if defined REBOOT_NEEDED set "EXIT_CODE=3010"
if "%EXIT_CODE%"=="3010" call :offer_restart
call :say "uninstall.cmd finished: exit code %EXIT_CODE%."
exit /b %EXIT_CODE%

rem ---- Steps ----------------------------------------------------------------------------------

:check_running
rem "STATE : 4 RUNNING": the number does not depend on the display language.
set "RUN_SERVICE=%~1"
call :check_chars "%RUN_SERVICE%" "%NAME_CHARS%"
if errorlevel 1 exit /b 0
set "RUN_STATE="
sc query "!RUN_SERVICE!" >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,3" %%a in ("%WORK_FILE%") do if /i "%%a"=="STATE" set "RUN_STATE=%%b"
del /f /q "!WORK_FILE!" >nul 2>&1
if "!RUN_STATE!"=="4" set "STORAGE_RUNNING=!RUN_SERVICE!"
exit /b 0

:remove_driver
rem driver=<driver>:<oemN.inf>
set "RD_LINE=%~1"
set "RD_DRIVER="
set "RD_OEM="
for /f "tokens=1,2 delims=:" %%a in ("%RD_LINE%") do (
  set "RD_DRIVER=%%a"
  set "RD_OEM=%%b"
)
call :check_chars "!RD_DRIVER!" "%NAME_CHARS%-."
if errorlevel 1 goto :malformed_driver
call :check_oem_name "!RD_OEM!"
if errorlevel 1 goto :malformed_driver
if defined DONE_DRIVER_%RD_OEM% exit /b 0
set "DONE_DRIVER_%RD_OEM%=1"
set "RD_INF=%SystemRoot%\inf\!RD_OEM!"
if not exist "!RD_INF!" (
  call :say "Driver package !RD_OEM! (!RD_DRIVER!): already removed."
  exit /b 0
)
rem pnputil reuses oem numbers: remove the package only while its INF still names this driver.
find "!RD_DRIVER!" "!RD_INF!" >nul 2>&1
if errorlevel 1 (
  call :say "WARNING: !RD_OEM! no longer belongs to !RD_DRIVER!; left in place."
  exit /b 0
)
call :say "Removing driver package !RD_OEM! (!RD_DRIVER!)."
pnputil -f -d !RD_OEM! >>"!LOG_FILE!" 2>&1
if errorlevel 1 (
  call :fail 40 "pnputil could not remove !RD_OEM! (!RD_DRIVER!)."
  call :keep driver "!RD_LINE!"
)
exit /b 0

:malformed_driver
call :say "WARNING: ignoring the malformed state line driver=!RD_LINE!"
exit /b 0

:remove_cddb
rem cddb=<CriticalDeviceDatabase key>, e.g. PCI#VEN_1AF4&DEV_1042&REV_01
set "RC_KEY=%~1"
if /i not "%RC_KEY:~0,4%"=="PCI#" goto :malformed_cddb
call :check_chars "%RC_KEY:~4%" "%NAME_CHARS%&"
if errorlevel 1 goto :malformed_cddb
set "RC_FLAG=%RC_KEY:&=_%"
if defined DONE_CDDB_%RC_FLAG% exit /b 0
set "DONE_CDDB_%RC_FLAG%=1"
call :say "Removing CriticalDeviceDatabase\!RC_KEY!."
call :remove_key "!CDDB_ROOT!\!RC_KEY!"
if errorlevel 1 (
  call :fail 50 "Could not delete the CriticalDeviceDatabase key !RC_KEY!."
  call :keep cddb "!RC_KEY!"
)
exit /b 0

:malformed_cddb
call :say "WARNING: ignoring the malformed state line cddb=!RC_KEY!"
exit /b 0

:remove_service
rem preseed_service=<service name>
set "RS_NAME=%~1"
call :check_chars "%RS_NAME%" "%NAME_CHARS%"
if errorlevel 1 (
  call :say "WARNING: ignoring the malformed state line preseed_service=!RS_NAME!"
  exit /b 0
)
if defined DONE_SERVICE_%RS_NAME% exit /b 0
set "DONE_SERVICE_%RS_NAME%=1"
call :say "Removing the boot-start service !RS_NAME!."
call :remove_key "!SERVICES_ROOT!\!RS_NAME!"
if errorlevel 1 (
  call :fail 50 "Could not delete the service key of !RS_NAME!."
  call :keep preseed_service "!RS_NAME!"
)
exit /b 0

:remove_file
rem preseed_file=%SystemRoot%\System32\drivers\<name>.sys and nothing else.
set "RF_PATH=%~1"
call :check_chars "%RF_PATH%" "%NAME_CHARS%:\.-"
if errorlevel 1 goto :malformed_file
set "RF_DIR="
set "RF_NAME="
for %%f in ("%RF_PATH%") do (
  set "RF_DIR=%%~dpf"
  set "RF_NAME=%%~nxf"
)
if /i not "!RF_DIR!"=="%SystemRoot%\System32\drivers\" goto :malformed_file
if /i not "%RF_NAME:~-4%"==".sys" goto :malformed_file
call :check_chars "%RF_NAME%" "%NAME_CHARS%-."
if errorlevel 1 goto :malformed_file
if defined DONE_FILE_%RF_NAME% exit /b 0
set "DONE_FILE_%RF_NAME%=1"
if not exist "!RF_PATH!" exit /b 0
call :say "Deleting !RF_PATH!."
del /f /q "!RF_PATH!" >nul 2>&1
if exist "!RF_PATH!" (
  call :fail 50 "Could not delete !RF_PATH!."
  call :keep preseed_file "!RF_PATH!"
)
exit /b 0

:malformed_file
call :say "WARNING: ignoring the malformed state line preseed_file=!RF_PATH!"
exit /b 0

:remove_certificate
rem cert=<Root|TrustedPublisher>:<SHA-1 thumbprint>
set "RCERT_LINE=%~1"
set "RCERT_STORE="
set "RCERT_SHA1="
for /f "tokens=1,2 delims=:" %%a in ("%RCERT_LINE%") do (
  set "RCERT_STORE=%%a"
  set "RCERT_SHA1=%%b"
)
set "RCERT_STORE_OK="
if /i "!RCERT_STORE!"=="Root" set "RCERT_STORE_OK=1"
if /i "!RCERT_STORE!"=="TrustedPublisher" set "RCERT_STORE_OK=1"
if not defined RCERT_STORE_OK goto :malformed_certificate
call :check_chars "!RCERT_SHA1!" "0123456789abcdefABCDEF"
if errorlevel 1 goto :malformed_certificate
if "%RCERT_SHA1:~39%"=="" goto :malformed_certificate
if not "%RCERT_SHA1:~40%"=="" goto :malformed_certificate
if defined DONE_CERT_%RCERT_STORE%_%RCERT_SHA1% exit /b 0
set "DONE_CERT_%RCERT_STORE%_%RCERT_SHA1%=1"
call :say "Removing the test certificate from the !RCERT_STORE! store."
certutil -delstore !RCERT_STORE! !RCERT_SHA1! >>"!LOG_FILE!" 2>&1
if not errorlevel 1 exit /b 0
rem Already gone is fine; still there is a failure.
certutil -store !RCERT_STORE! !RCERT_SHA1! >nul 2>&1
if errorlevel 1 exit /b 0
call :fail 20 "certutil could not remove the certificate from the !RCERT_STORE! store."
call :keep cert "!RCERT_LINE!"
exit /b 0

:malformed_certificate
call :say "WARNING: ignoring the malformed state line cert=!RCERT_LINE!"
exit /b 0

:remove_testsigning
rem testsigning=on: setup.cmd turned test signing on, so it is turned off again.
if /i not "%~1"=="on" (
  call :say "WARNING: ignoring the malformed state line testsigning=%~1"
  exit /b 0
)
if defined DONE_TESTSIGNING exit /b 0
set "DONE_TESTSIGNING=1"
call :say "Turning off test signing."
bcdedit /set testsigning off >>"!LOG_FILE!" 2>&1
if errorlevel 1 (
  call :fail 30 "bcdedit could not turn off test signing."
  call :keep testsigning on
  exit /b 0
)
set "REBOOT_NEEDED=1"
exit /b 0

:check_known_key
for %%k in (driver cddb preseed_service preseed_file cert testsigning) do if /i "%~1"=="%%k" exit /b 0
call :say "WARNING: unknown state line '%~1=%~2' kept."
call :keep "%~1" "%~2"
exit /b 0

:remove_key
rem Exit code 1 only if the key is still there afterwards.
reg delete "%~1" /f >nul 2>&1
reg query "%~1" >nul 2>&1
if errorlevel 1 exit /b 0
exit /b 1

:check_oem_name
set "OEM_NAME=%~1"
if /i not "%OEM_NAME:~0,3%"=="oem" exit /b 1
if /i not "%OEM_NAME:~-4%"==".inf" exit /b 1
set "OEM_NUMBER=%OEM_NAME:~3,-4%"
if not defined OEM_NUMBER exit /b 1
call :check_chars "%OEM_NUMBER%" "0123456789"
exit /b

:offer_restart
if defined OPT_noreboot (
  call :say "Restart Windows to finish (/noreboot: not restarting)."
  exit /b 0
)
if defined OPT_quiet goto :restart_now
set "ANSWER="
set /p "ANSWER=Restart Windows now to finish? [y/N] "
if /i "!ANSWER!"=="y" goto :restart_now
call :say "Restart Windows later to finish."
exit /b 0

:restart_now
call :say "Restarting Windows in 10 seconds."
shutdown /r /t 10 /c "Aero Guest Tools: restarting to finish the removal" >>"!LOG_FILE!" 2>&1
if errorlevel 1 call :say "WARNING: shutdown failed; restart Windows yourself."
exit /b 0

rem ---- Helpers --------------------------------------------------------------------------------

:say
set "SAY_TEXT=%~1"
if not defined OPT_quiet echo.!SAY_TEXT!
if defined LOG_FILE (
  >>"!LOG_FILE!" echo.!SAY_TEXT!
)
exit /b 0

:fail
rem Reports an error (also with /quiet); the first error's code becomes the exit code.
if "!EXIT_CODE!"=="0" set "EXIT_CODE=%~1"
set "FAIL_TEXT=%~2"
echo.ERROR: !FAIL_TEXT! 1>&2
if defined LOG_FILE (
  >>"!LOG_FILE!" echo.ERROR %~1: !FAIL_TEXT!
)
exit /b 0

:keep
rem Keeps a state line for the next run.
set "KEEP_LINE=%~1=%~2"
>>"!KEEP_FILE!" echo.!KEEP_LINE!
set "KEPT=1"
exit /b 0

:check_chars
rem Exit code 1 if %1 is empty or has a character outside the set %2.
if "%~1"=="" exit /b 1
for /f "delims=%~2" %%x in ("A%~1") do exit /b 1
exit /b 0

:usage
echo Aero Guest Tools uninstall for Windows 7. Run it as administrator.
echo Reverts what setup.cmd recorded in %SystemDrive%\AeroGuestTools\state.txt: driver packages,
echo boot pre-seeding of virtio-blk, the test certificate, and test signing if setup turned it on.
echo.
echo   uninstall.cmd [/quiet] [/force] [/noreboot]
echo.
echo   /quiet     no questions and no messages except errors; restarts Windows when needed
echo              unless /noreboot is given
echo   /force     uninstall even while the virtio-blk driver is running
echo   /noreboot  never restart Windows
echo.
echo Exit codes:
echo    0  success, or nothing to uninstall   30  test signing could not be turned off
echo    2  unknown switch                     40  a driver package could not be removed
echo 3010  success, restart needed            50  boot pre-seeding could not be removed
echo   10  not run as administrator           60  virtio-blk is running; see /force
echo   11  a 32-bit prompt cannot reach the 64-bit cmd.exe
echo   13  cannot write %SystemDrive%\AeroGuestTools
echo   20  a certificate could not be removed
exit /b 0

:relaunch_64bit
if not exist "%SystemRoot%\Sysnative\cmd.exe" goto :no_64bit_cmd
"%SystemRoot%\Sysnative\cmd.exe" /c ^""%~f0" %*^"
exit /b %ERRORLEVEL%

:no_64bit_cmd
echo uninstall.cmd: this 32-bit command prompt cannot reach the 64-bit cmd.exe; run uninstall.cmd from a 64-bit command prompt. 1>&2
exit /b 11
