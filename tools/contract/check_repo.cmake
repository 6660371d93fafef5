# CTest contract.check_repo: `aero-contract validate` then `aero-contract check` on the tree.
foreach(command validate check)
  execute_process(COMMAND "${TOOL}" ${command} --root "${ROOT}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "aero-contract ${command} --root ${ROOT} failed (exit ${rc})")
  endif()
endforeach()
