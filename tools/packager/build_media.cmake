# Builds the Guest Tools media (run by the guest-tools-media target, cmake/AeroPackaging.cmake):
#   1. SOURCE_DATE_EPOCH (environment, else the last commit's time) and the build ID
#      (AERO_BUILD_ID, else `git describe`);
#   2. the signing identity: AERO_SIGNING_PFX, else the generated test identity in IDENTITY_DIR;
#   3. for every package the win7 trees registered (RECORDS_x86 / RECORDS_x64): stamp DriverVer
#      into a copy of the INF, stage it with the driver files, sign, catalog, sign the catalog
#      and verify (tools/signing/sign-driver-package.sh);
#   4. aero-packager writes OUT_DIR/aero-guest-tools.iso and .zip from the packages, the
#      guest-tools scripts, the public certificates and packaging/README.txt.
cmake_minimum_required(VERSION 3.25)

foreach(var SOURCE_DIR WORK_DIR IDENTITY_DIR OUT_DIR VERSION SIGNING_DIGESTS TEST_CERT_DIGEST
            CATALOG_TOOL PACKAGER INF_STAMP XORRISO)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "build_media.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT SIGNING_DIGESTS MATCHES "^(sha1|sha1\\+sha256)$")
  message(FATAL_ERROR "AERO_SIGNING_DIGESTS must be sha1 or sha1+sha256, not '${SIGNING_DIGESTS}'")
endif()
set(signing "${SOURCE_DIR}/tools/signing")

# 1. Time and build ID.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(epoch "$ENV{SOURCE_DATE_EPOCH}")
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" log -1 --format=%ct
                  OUTPUT_VARIABLE epoch OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE git_status ERROR_QUIET)
  if(NOT git_status EQUAL 0)
    message(FATAL_ERROR "No SOURCE_DATE_EPOCH and no git history to take it from: set "
                        "SOURCE_DATE_EPOCH (Unix seconds) to date the media")
  endif()
endif()
if(NOT epoch MATCHES "^[0-9]+$")
  message(FATAL_ERROR "SOURCE_DATE_EPOCH must be Unix seconds, not '${epoch}'")
endif()
if(DEFINED ENV{AERO_BUILD_ID})
  set(build_id "$ENV{AERO_BUILD_ID}")
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
                  OUTPUT_VARIABLE build_id OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE git_status ERROR_QUIET)
  if(NOT git_status EQUAL 0 OR build_id STREQUAL "")
    set(build_id "unknown")
  endif()
endif()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${status}): ${command}")
  endif()
endfunction()

# 2. Identity and its public certificates.
if(DEFINED ENV{AERO_SIGNING_PFX} AND NOT "$ENV{AERO_SIGNING_PFX}" STREQUAL "")
  message(STATUS "Signing with AERO_SIGNING_PFX=$ENV{AERO_SIGNING_PFX}")
else()
  run(bash "${signing}/make-test-identity.sh" "${IDENTITY_DIR}" "${TEST_CERT_DIGEST}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/packages")
run(bash "${signing}/export-certificates.sh" "${IDENTITY_DIR}" "${WORK_DIR}/certs")

# 3. Driver packages.
set(package_count 0)
foreach(arch x86 x64)
  if(NOT DEFINED RECORDS_${arch} OR NOT IS_DIRECTORY "${RECORDS_${arch}}")
    continue()
  endif()
  if(arch STREQUAL "x64")
    set(media_arch amd64)
  else()
    set(media_arch x86)
  endif()
  file(GLOB records "${RECORDS_${arch}}/*.cmake")
  list(SORT records)
  foreach(record IN LISTS records)
    unset(AERO_PACKAGE_NAME)
    unset(AERO_PACKAGE_INF)
    unset(AERO_PACKAGE_FILES)
    include("${record}")
    set(folder "${WORK_DIR}/packages/${AERO_PACKAGE_NAME}/${media_arch}")
    file(MAKE_DIRECTORY "${folder}")
    get_filename_component(inf_name "${AERO_PACKAGE_INF}" NAME)
    run("${INF_STAMP}" --in "${AERO_PACKAGE_INF}" --out "${folder}/${inf_name}"
        --time "${epoch}" --version "${VERSION}")
    foreach(file IN LISTS AERO_PACKAGE_FILES)
      if(NOT EXISTS "${file}")
        message(FATAL_ERROR "${AERO_PACKAGE_NAME} (${arch}): '${file}' was not built")
      endif()
      file(COPY "${file}" DESTINATION "${folder}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE
           GROUP_READ WORLD_READ)
    endforeach()
    run(bash "${signing}/sign-driver-package.sh" --inf "${folder}/${inf_name}"
        --arch ${media_arch} --digests "${SIGNING_DIGESTS}" --time "${epoch}"
        --catalog-tool "${CATALOG_TOOL}" --identity "${IDENTITY_DIR}" --certs "${WORK_DIR}/certs")
    math(EXPR package_count "${package_count} + 1")
  endforeach()
endforeach()

# 4. The media.
set(files
  --file "README.txt=${SOURCE_DIR}/packaging/README.txt"
  --file "certs/aero-test-root.cer=${WORK_DIR}/certs/aero-test-root.cer"
  --file "certs/aero-test-publisher.cer=${WORK_DIR}/certs/aero-test-publisher.cer")
file(GLOB scripts LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}/guest-tools"
     "${SOURCE_DIR}/guest-tools/*.cmd" "${SOURCE_DIR}/guest-tools/*.ps1"
     "${SOURCE_DIR}/guest-tools/config/*.cmd")
list(SORT scripts)
foreach(script IN LISTS scripts)
  list(APPEND files --file "${script}=${SOURCE_DIR}/guest-tools/${script}")
endforeach()
if(NOT scripts)
  message(WARNING "guest-tools/ has no scripts yet: the media carries none")
endif()

set(signing_args
  --signing "file_digests=${SIGNING_DIGESTS}"
  --signing "catalog_digest=sha1"
  --signing "root_certificate=certs/aero-test-root.cer"
  --signing "publisher_certificate=certs/aero-test-publisher.cer")
file(STRINGS "${WORK_DIR}/certs/signing.txt" facts)
foreach(fact IN LISTS facts)
  list(APPEND signing_args --signing "${fact}")
endforeach()

file(MAKE_DIRECTORY "${OUT_DIR}")
run("${PACKAGER}"
    --iso "${OUT_DIR}/aero-guest-tools.iso" --zip "${OUT_DIR}/aero-guest-tools.zip"
    --version "${VERSION}" --build-id "${build_id}" --source-date-epoch "${epoch}"
    --driver-packages "${WORK_DIR}/packages" --xorriso "${XORRISO}"
    ${files} ${signing_args})
message(STATUS "Guest Tools media: ${package_count} signed driver package(s), ${OUT_DIR}/aero-guest-tools.iso")
