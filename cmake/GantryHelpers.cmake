# gantry_library(NAME x SRCS ... DEPS ...): defines gantry_x, aliased gantry::x.
# Includes are rooted at src/.
set(GANTRY_WARNINGS -Wall -Wextra -Wno-missing-field-initializers)
if(GANTRY_WERROR)
  list(APPEND GANTRY_WARNINGS -Werror)
endif()
if(GANTRY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

function(gantry_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(gantry_${ARG_NAME} STATIC ${ARG_SRCS})
  add_library(gantry::${ARG_NAME} ALIAS gantry_${ARG_NAME})
  target_include_directories(gantry_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(gantry_${ARG_NAME} PRIVATE ${GANTRY_WARNINGS})
  set_target_properties(gantry_${ARG_NAME} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(gantry_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# gantry_test(NAME x_test SRCS ... DEPS ... [LABELS ...] [LOCKS ...]): one GoogleTest
# binary, registered with CTest. LOCKS names shared resources (e.g. dev_shm) that tests of
# different binaries must not use at the same time under ctest -j.
function(gantry_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS;LOCKS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_compile_options(${ARG_NAME} PRIVATE ${GANTRY_WARNINGS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main Threads::Threads)
  target_compile_definitions(${ARG_NAME} PRIVATE
    GANTRY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    GANTRY_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set(_properties LABELS "${ARG_LABELS}")
  if(ARG_LOCKS)
    list(APPEND _properties RESOURCE_LOCK "${ARG_LOCKS}")
  endif()
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES ${_properties})
endfunction()
include(GoogleTest)
