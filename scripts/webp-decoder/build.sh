#!/bin/sh
# Builds webp-decode.wasm (libwebp's decoder with scaled output, see scaled-decode.c) with Debian's
# clang, lld and wasi-libc:  apt-get install -y clang lld wasi-libc
# LIBWEBP_DIR: a checkout of libwebp (tag v1.6.0, BSD-3-Clause). The result is committed, so building is
# only needed to change it: sh scripts/webp-decoder/build.sh  (from the repository root)
set -eu
: "${LIBWEBP_DIR:?set LIBWEBP_DIR to a libwebp v1.6.0 source tree}"
here=$(dirname "$0")
out="$here/../../src/pipeline/thumbnail/webp/webp-decode.wasm"
sources=$(ls "$LIBWEBP_DIR"/src/dec/*.c "$LIBWEBP_DIR"/src/utils/*.c "$LIBWEBP_DIR"/src/dsp/*.c \
  | grep -v -E '_(sse2|sse41|avx2|neon|msa|mips32|mips_dsp_r2)\.c$' \
  | grep -v -E '/(bit_writer_utils|huffman_encode_utils|quant_levels_utils|enc|cost|lossless_enc|ssim)\.c$')
clang --target=wasm32-wasi --sysroot=/nonexistent -isystem /usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi -B/usr/lib/wasm32-wasi \
  -O2 -DNDEBUG -I"$LIBWEBP_DIR" -I"$LIBWEBP_DIR/src" \
  -mexec-model=reactor -Wl,--strip-all -Wl,--gc-sections -Wl,-z,stack-size=262144 \
  -Wl,--initial-memory=2097152 -Wl,--max-memory=100663296 \
  -o "$out" "$here/scaled-decode.c" $sources
ls -l "$out"
