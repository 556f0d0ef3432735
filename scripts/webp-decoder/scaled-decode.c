/*
 * A minimal WebAssembly entry point into libwebp's decoder for thumbnails: the image is decoded
 * straight to a reduced size with libwebp's own rescaler (`use_scaling`), so a lossy photo never
 * exists at full size in memory (libwebp decodes it macroblock row by macroblock row and rescales
 * each row as it goes). The caller copies the compressed file into memory from `webp_alloc`, asks
 * for the features, then for the decode into an RGBA buffer of its own.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/webp/decode.h"

__attribute__((export_name("webp_alloc"))) void* webp_alloc(size_t size) { return malloc(size); }

__attribute__((export_name("webp_free"))) void webp_free(void* pointer) { free(pointer); }

/* Writes width, height, has_alpha, has_animation, format (0 mixed, 1 lossy, 2 lossless) to `out`. */
__attribute__((export_name("webp_features")))
int webp_features(const uint8_t* data, size_t size, int32_t* out) {
  WebPBitstreamFeatures features;
  VP8StatusCode status = WebPGetFeatures(data, size, &features);
  if (status != VP8_STATUS_OK) return (int)status;
  out[0] = features.width;
  out[1] = features.height;
  out[2] = features.has_alpha;
  out[3] = features.has_animation;
  out[4] = features.format;
  return 0;
}

/* Decodes to `width` x `height` straight-alpha RGBA at `rgba` (width * height * 4 bytes). */
__attribute__((export_name("webp_decode_scaled")))
int webp_decode_scaled(const uint8_t* data, size_t size, int width, int height, uint8_t* rgba) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return -1;
  config.options.use_scaling = 1;
  config.options.scaled_width = width;
  config.options.scaled_height = height;
  config.output.colorspace = MODE_RGBA;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = rgba;
  config.output.u.RGBA.stride = width * 4;
  config.output.u.RGBA.size = (size_t)width * (size_t)height * 4;
  VP8StatusCode status = WebPDecode(data, size, &config);
  WebPFreeDecBuffer(&config.output);
  return (int)status;
}
