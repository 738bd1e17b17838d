# One INTERFACE target carries every shared compile setting. Warnings and Qt's strictness
# macros apply to our own build only; a program that uses the installed package
# (find_package(GrokPulse)) inherits C++20 and the include path, not our -Werror.
include(GNUInstallDirs)
add_library(gp_settings INTERFACE)
target_compile_features(gp_settings INTERFACE cxx_std_20)
target_compile_options(gp_settings INTERFACE
  $<BUILD_INTERFACE:-Wall -Wextra -Wpedantic -Wold-style-cast -Wnon-virtual-dtor>)
if(GP_WERROR)
  target_compile_options(gp_settings INTERFACE $<BUILD_INTERFACE:-Werror>)
endif()
target_compile_definitions(gp_settings INTERFACE
  $<BUILD_INTERFACE:QT_NO_CONTEXTLESS_CONNECT>
  $<BUILD_INTERFACE:QT_NO_NARROWING_CONVERSIONS_IN_CONNECT>
  $<BUILD_INTERFACE:QT_USE_QSTRINGBUILDER>
  $<BUILD_INTERFACE:QT_NO_CAST_FROM_ASCII>)
target_include_directories(gp_settings INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/grokpulse>)

# gp_add_test(NAME SOURCES a.cpp ... LIBS lib ... [GUI] [LABELS l ...] [TIMEOUT s])
# One Qt Test executable per test file, registered with CTest.
function(gp_add_test name)
  cmake_parse_arguments(T "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE gp_settings Qt6::Test ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
  # Every test runs headless; GUI tests use the offscreen platform.
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
  # What the commands keep in the data directory (remembered stated limits) stays out of the user's.
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "XDG_DATA_HOME=${CMAKE_BINARY_DIR}/test-data/${name}")
endfunction()
