# One INTERFACE target carries every shared compile setting: C++20, the warning set
# (-Werror with GP_WERROR) and the Qt definitions every target is built with.
add_library(gp_settings INTERFACE)
target_compile_features(gp_settings INTERFACE cxx_std_20)
target_compile_options(gp_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wold-style-cast -Wnon-virtual-dtor)
if(GP_WERROR)
  target_compile_options(gp_settings INTERFACE -Werror)
endif()
target_compile_definitions(gp_settings INTERFACE
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_USE_QSTRINGBUILDER
  QT_NO_CAST_FROM_ASCII)
target_include_directories(gp_settings INTERFACE ${PROJECT_SOURCE_DIR})

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
endfunction()
