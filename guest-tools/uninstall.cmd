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
set "CHECK_FILE=!TOOLS_DIR!\uninstall.chk"
set "CDDB_ROOT=HKLM\SYSTEM\CurrentControlSet\Control\CriticalDeviceDatabase"
set "SERVICES_ROOT=HKLM\SYSTEM\CurrentControlSet\Services"
set "DRIVERS_DIR=%SystemRoot%\System32\drivers"
set "NAME_CHARS=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
set "HEX_CHARS=0123456789abcdefABCDEF"

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
call :each_state_line running
if defined STORAGE_RUNNING if not defined OPT_force (
  call :fail 60 "The storage driver !STORAGE_RUNNING! is running, so the system disk may depend on it. Move the disk to another controller first, or run uninstall.cmd /force."
  del /f /q "!KEEP_FILE!" >nul 2>&1
  goto :finish
)

rem Drivers first, then the boot pre-seeding, the certificates and last test signing.
for %%p in (driver cddb preseed_service preseed_file cert testsigning unknown) do call :each_state_line %%p

rem The state file keeps only what could not be reverted (temp file, then rename).
if defined KEPT (
  move /y "!KEEP_FILE!" "!STATE_FILE!" >nul
  call :say "Some changes could not be reverted; they stay in !STATE_FILE! for another run."
) else (
  del /f /q "!KEEP_FILE!" >nul 2>&1
  del /f /q "!STATE_FILE!" >nul 2>&1
  call :say "Everything setup.cmd recorded has been reverted."
)

:finish
del /f /q "!WORK_FILE!" "!CHECK_FILE!" >nul 2>&1
if "%EXIT_CODE%"=="0" if defined REBOOT_NEEDED set "EXIT_CODE=3010"
if "%EXIT_CODE%"=="3010" call :offer_restart
call :say "uninstall.cmd finished: exit code %EXIT_CODE%."
exit /b %EXIT_CODE%

rem ---- Reading the state file -----------------------------------------------------------------
rem Each line is key=value. A value is never passed as a call argument nor %-expanded before it
rem has been checked (:check_chars), so no line can inject cmd syntax. Services, driver files,
rem CriticalDeviceDatabase entries and packages are only removed when they are Aero ones (names
rem beginning with "aero"), so a damaged state file cannot remove another driver.

:each_state_line
rem Calls the step for PHASE on each line with that key ("running": the running check on the
rem preseed_service lines; "unknown": every line whose key is not one of the six).
set "PHASE=%~1"
set "LINE_PHASE=%~1"
if "!PHASE!"=="running" set "LINE_PHASE=preseed_service"
if "!PHASE!"=="unknown" goto :each_unknown_line
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do (
  if /i "%%a"=="!LINE_PHASE!" (
    set "LINE_KEY=%%a"
    set "LINE_VALUE=%%b"
    call :state_line
  )
)
exit /b 0

:each_unknown_line
for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%STATE_FILE%") do (
  set "KNOWN_KEY="
  for %%k in (driver cddb preseed_service preseed_file cert testsigning) do (
    if /i "%%a"=="%%k" (set "KNOWN_KEY=1")
  )
  if not defined KNOWN_KEY (
    set "LINE_KEY=%%a"
    set "LINE_VALUE=%%b"
    call :keep_unknown
  )
)
exit /b 0

:state_line
if "!PHASE!"=="running" goto :check_running
if "!PHASE!"=="driver" goto :remove_driver
if "!PHASE!"=="cddb" goto :remove_cddb
if "!PHASE!"=="preseed_service" goto :remove_service
if "!PHASE!"=="preseed_file" goto :remove_file
if "!PHASE!"=="cert" goto :remove_certificate
if "!PHASE!"=="testsigning" goto :remove_testsigning
exit /b 0

:keep_unknown
set "SAY_TEXT=WARNING: unknown state line kept: !LINE_KEY!=!LINE_VALUE!"
call :say_text
call :keep
exit /b 0

:malformed
set "SAY_TEXT=WARNING: ignoring the malformed state line !LINE_KEY!=!LINE_VALUE!"
call :say_text
exit /b 0

:not_aero
set "SAY_TEXT=WARNING: !LINE_KEY!=!LINE_VALUE! is not an Aero Guest Tools item; left in place."
call :say_text
exit /b 0

rem ---- Steps (each reads LINE_VALUE) ----------------------------------------------------------

:check_running
rem "STATE : 4 RUNNING": the number does not depend on the display language.
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 exit /b 0
if /i not "%LINE_VALUE:~0,4%"=="aero" exit /b 0
set "RUN_STATE="
sc query "!LINE_VALUE!" >"!WORK_FILE!" 2>&1
for /f "usebackq tokens=1,3" %%a in ("%WORK_FILE%") do if /i "%%a"=="STATE" set "RUN_STATE=%%b"
if "!RUN_STATE!"=="4" set "STORAGE_RUNNING=!LINE_VALUE!"
exit /b 0

:remove_driver
rem driver=<driver>:<oemN.inf>
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%-.:"
if errorlevel 1 goto :malformed
set "RD_DRIVER="
set "RD_OEM="
for /f "tokens=1,2 delims=:" %%a in ("%LINE_VALUE%") do (
  set "RD_DRIVER=%%a"
  set "RD_OEM=%%b"
)
if not defined RD_DRIVER goto :malformed
call :check_oem_name "!RD_OEM!"
if errorlevel 1 goto :malformed
if /i not "%RD_DRIVER:~0,4%"=="aero" goto :not_aero
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
  call :keep
)
exit /b 0

:remove_cddb
rem cddb=<CriticalDeviceDatabase key>, e.g. PCI#VEN_1AF4&DEV_1042&REV_01
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%&#"
if errorlevel 1 goto :malformed
if /i not "%LINE_VALUE:~0,4%"=="PCI#" goto :malformed
set "RC_FLAG=%LINE_VALUE:&=_%"
if defined DONE_CDDB_%RC_FLAG% exit /b 0
set "DONE_CDDB_%RC_FLAG%=1"
rem Only an entry that maps to an Aero service is removed; a missing one is already gone.
reg query "!CDDB_ROOT!\!LINE_VALUE!" /v Service >"!WORK_FILE!" 2>&1
if errorlevel 1 exit /b 0
set "RC_SERVICE="
for /f "usebackq tokens=1,2,*" %%a in ("%WORK_FILE%") do if /i "%%a"=="Service" set "RC_SERVICE=%%c"
set "CHECK_VALUE=!RC_SERVICE!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 goto :not_aero
if /i not "%RC_SERVICE:~0,4%"=="aero" goto :not_aero
call :say "Removing CriticalDeviceDatabase\!LINE_VALUE!."
call :remove_key "!CDDB_ROOT!\!LINE_VALUE!"
if errorlevel 1 (
  call :fail 50 "Could not delete the CriticalDeviceDatabase key !LINE_VALUE!."
  call :keep
)
exit /b 0

:remove_service
rem preseed_service=<service name>
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%"
if errorlevel 1 goto :malformed
if /i not "%LINE_VALUE:~0,4%"=="aero" goto :not_aero
if defined DONE_SERVICE_%LINE_VALUE% exit /b 0
set "DONE_SERVICE_%LINE_VALUE%=1"
call :say "Removing the boot-start service !LINE_VALUE!."
call :remove_key "!SERVICES_ROOT!\!LINE_VALUE!"
if errorlevel 1 (
  call :fail 50 "Could not delete the service key of !LINE_VALUE!."
  call :keep
)
exit /b 0

:remove_file
rem preseed_file=%SystemRoot%\System32\drivers\<name>.sys and nothing else.
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%:\.-"
if errorlevel 1 goto :malformed
set "RF_DIR="
set "RF_NAME="
for %%f in ("%LINE_VALUE%") do (
  set "RF_DIR=%%~dpf"
  set "RF_NAME=%%~nxf"
)
if /i not "!RF_DIR!"=="!DRIVERS_DIR!\" goto :malformed
if /i not "!LINE_VALUE!"=="!DRIVERS_DIR!\!RF_NAME!" goto :malformed
if /i not "%RF_NAME:~-4%"==".sys" goto :malformed
if /i not "%RF_NAME:~0,4%"=="aero" goto :not_aero
if defined DONE_FILE_%RF_NAME% exit /b 0
set "DONE_FILE_%RF_NAME%=1"
if not exist "!LINE_VALUE!" exit /b 0
call :say "Deleting !LINE_VALUE!."
del /f /q "!LINE_VALUE!" >nul 2>&1
if exist "!LINE_VALUE!" (
  call :fail 50 "Could not delete !LINE_VALUE!."
  call :keep
)
exit /b 0

:remove_certificate
rem cert=<Root|TrustedPublisher>:<SHA-1 thumbprint>
set "CHECK_VALUE=!LINE_VALUE!"
call :check_chars "%NAME_CHARS%:"
if errorlevel 1 goto :malformed
set "RCERT_STORE="
set "RCERT_SHA1="
for /f "tokens=1,2 delims=:" %%a in ("%LINE_VALUE%") do (
  set "RCERT_STORE=%%a"
  set "RCERT_SHA1=%%b"
)
set "RCERT_STORE_OK="
if "!RCERT_STORE!"=="Root" set "RCERT_STORE_OK=1"
if "!RCERT_STORE!"=="TrustedPublisher" set "RCERT_STORE_OK=1"
if not defined RCERT_STORE_OK goto :malformed
set "CHECK_VALUE=!RCERT_SHA1!"
call :check_chars "%HEX_CHARS%"
if errorlevel 1 goto :malformed
if "%RCERT_SHA1:~39%"=="" goto :malformed
if not "%RCERT_SHA1:~40%"=="" goto :malformed
if defined DONE_CERT_%RCERT_STORE%_%RCERT_SHA1% exit /b 0
set "DONE_CERT_%RCERT_STORE%_%RCERT_SHA1%=1"
call :say "Removing the test certificate from the !RCERT_STORE! store."
certutil -delstore !RCERT_STORE! !RCERT_SHA1! >>"!LOG_FILE!" 2>&1
if not errorlevel 1 exit /b 0
rem Already gone is fine; still there is a failure.
certutil -store !RCERT_STORE! !RCERT_SHA1! >nul 2>&1
if errorlevel 1 exit /b 0
call :fail 20 "certutil could not remove the certificate from the !RCERT_STORE! store."
call :keep
exit /b 0

:remove_testsigning
rem testsigning=on: setup.cmd turned test signing on, so it is turned off again.
if not "!LINE_VALUE!"=="on" goto :malformed
if defined DONE_TESTSIGNING exit /b 0
set "DONE_TESTSIGNING=1"
call :say "Turning off test signing."
bcdedit /set testsigning off >>"!LOG_FILE!" 2>&1
if errorlevel 1 (
  call :fail 30 "bcdedit could not turn off test signing."
  call :keep
  exit /b 0
)
set "REBOOT_NEEDED=1"
exit /b 0

:remove_key
rem Exit code 1 only if the key is still there afterwards.
reg delete "%~1" /f >nul 2>&1
if not errorlevel 1 exit /b 0
reg query "%~1" >nul 2>&1
if errorlevel 1 exit /b 0
exit /b 1

:check_oem_name
rem oem<digits>.inf, the only names pnputil publishes.
set "OEM_NAME=%~1"
if /i not "%OEM_NAME:~0,3%"=="oem" exit /b 1
if /i not "%OEM_NAME:~-4%"==".inf" exit /b 1
set "CHECK_VALUE=%OEM_NAME:~3,-4%"
call :check_chars "0123456789"
if errorlevel 1 exit /b 1
exit /b 0

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
:say_text
rem Prints SAY_TEXT (not with /quiet) and appends it to the log; text from the state file comes
rem here through the variable, never as a call argument.
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
rem Keeps the current state line for the next run.
>>"!KEEP_FILE!" echo.!LINE_KEY!=!LINE_VALUE!
set "KEPT=1"
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
