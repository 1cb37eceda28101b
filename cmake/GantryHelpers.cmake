# gantry_library(NAME x SRCS ... DEPS ...): defines gantry_x, aliased gantry::x.
# Includes are rooted at src/.
set(GANTRY_WARNINGS -Wall -Wextra -Wno-missing-field-initializers)
if(GANTRY_WERROR)
  list(APPEND GANTRY_WARNINGS -Werror)
endif()
if(GANTRY_SANITIZE)
  # -fno-sanitize-recover: a UBSan finding fails the test instead of scrolling past.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
endif()
if(GANTRY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    message(FATAL_ERROR "GANTRY_FUZZ needs clang >= 16 (libFuzzer, and libstdc++'s "
                        "std::expected): configure with CMAKE_CXX_COMPILER=clang++-16")
  endif()
  # Every library is instrumented for coverage and checked by ASan and UBSan; only the
  # fuzz targets link libFuzzer's main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # libstdc++ 12 offers std::expected (base/error.h's Result) only when __cpp_concepts >=
  # 202002L, which stands for P0848 (conditionally trivial special members). Clang 16
  # implements P0848 but still reports 201907L, so the production Result is compiled as is.
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-U__cpp_concepts>
                      $<$<COMPILE_LANGUAGE:CXX>:-D__cpp_concepts=202002L>)
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

# gantry_test(NAME x_test SRCS ... DEPS ... [LABELS ...] [LOCKS ...] [INTEGRATION]): one
# GoogleTest binary, registered with CTest. LOCKS names shared resources (e.g. dev_shm) that
# tests of different binaries must not use at the same time under ctest -j. The unit tests
# (all but INTEGRATION ones, which drive the real binaries) are what the target
# gantry_unit_tests builds: scripts/sanitize.sh builds and runs just those.
add_custom_target(gantry_unit_tests)
function(gantry_test)
  cmake_parse_arguments(ARG "INTEGRATION" "NAME" "SRCS;DEPS;LABELS;LOCKS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  if(NOT ARG_INTEGRATION)
    add_dependencies(gantry_unit_tests ${ARG_NAME})
  endif()
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
