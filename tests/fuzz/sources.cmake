# The fuzz entry functions, shared by the libFuzzer executables (tests/fuzz/CMakeLists.txt,
# GP_FUZZ=ON) and the replay test of the normal build (tests/fuzz/replay).
set(GP_FUZZ_ENTRY_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fuzzentries.h
  ${CMAKE_CURRENT_LIST_DIR}/fuzztargets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzzsse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzzbodies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzzheaders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzzresponses.cpp
)
# Folder names under corpus/ and regressions/; one libFuzzer executable fuzz_<name> each.
set(GP_FUZZ_TARGETS
  sse_decoder error_body chat_response chat_chunk chat_request
  quota_headers retry_hint duration http_date structured_list
  responses_stream responses_response batch_bodies
)
