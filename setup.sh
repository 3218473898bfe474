#!/usr/bin/env bash
# One-time set-up on a fresh machine (Debian, Python 3.11, CPU only): a virtual environment in
# .venv with the package and everything it needs, including the packaged models.
#   ./setup.sh          the package, models, web demo, feeds and evaluation extras
#   ./setup.sh --test   also the test tools and the browser the web-demo tests drive
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null; then
  # Debian's Chromium and ChromeDriver: the web-demo tests drive a real browser
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} apt-get update -qq
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} apt-get install -y -qq chromium chromium-driver >/dev/null
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/pip install -q --upgrade pip
# the CPU build of torch; an unpinned torch would pull a CUDA build of several GB
.venv/bin/pip install -q torch==2.13.0
# llama-cpp-python compiles from source (about 6 minutes on 2 cores), once per .venv, for this
# machine's CPU (-march=native), except that on a Xeon with AMX it gets the CPU's own AVX-512 and
# VNNI sets but not AMX: ggml's AMX matrix product segfaulted on the first decode there (seen
# 2026-12-05; llama.cpp issue 20824). No wheel cache: pip would reuse a wheel built for another
# machine's CPU, whatever CMAKE_ARGS say. A CMAKE_ARGS of your own (a GPU build) is kept.
llama_cpp_args() {
  local flags args
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2 || true) "
  [[ $flags == *" amx_tile "* ]] || return 0
  args="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
  [[ $flags == *" avx_vnni "* ]] && args+=" -DGGML_AVX_VNNI=ON"
  [[ $flags == *" avx512f "* && $flags == *" avx512cd "* && $flags == *" avx512vl "* && $flags == *" avx512dq "* \
     && $flags == *" avx512bw "* ]] && args+=" -DGGML_AVX512=ON"
  [[ $flags == *" avx512vbmi "* ]] && args+=" -DGGML_AVX512_VBMI=ON"
  [[ $flags == *" avx512_vnni "* ]] && args+=" -DGGML_AVX512_VNNI=ON"
  [[ $flags == *" avx512_bf16 "* ]] && args+=" -DGGML_AVX512_BF16=ON"
  echo "$args"
}
if [ ! -e .venv/.llama-cpp-built-here ]; then
  CMAKE_ARGS=${CMAKE_ARGS:-$(llama_cpp_args)} CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
    .venv/bin/pip install -q --no-cache-dir --force-reinstall "llama-cpp-python>=0.3"
  touch .venv/.llama-cpp-built-here
fi
.venv/bin/pip install -q -e ".[all]"
# the models' one-time preparation, so that the first briefing does not pay for it: the GGUF joined
# from its parts and the int8 ONNX export of MiniLM (both in the per-user cache)
.venv/bin/python -c "from summarise.models.files import packaged_gguf_path; from summarise.stages.embed import make_embedder; packaged_gguf_path(); make_embedder('minilm_onnx')"
