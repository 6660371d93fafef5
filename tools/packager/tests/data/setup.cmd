@echo off
rem Stand-in for guest-tools\setup.cmd in the packaging tests.
echo Aero Guest Tools test media
