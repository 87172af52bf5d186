{
  "targets": [
    {
      "target_name": "semifer_native",
      "sources": ["native/addon.cc", "native/ops.cc", "native/generator.cc", "native/autocast.cc", "native/lazyDevice.cc", "native/distributed.cc", "native/prelu.cc", "native/batchNorm.cc"],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/libtorch-config.mjs --include)"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["<!@(node scripts/libtorch-config.mjs --defines)", "USE_C10D_GLOO"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": [
        "-L<!(node scripts/libtorch-config.mjs --libdirs)",
        "-Wl,--no-as-needed",
        "<!@(node scripts/libtorch-config.mjs --libs)",
        "-Wl,--as-needed",
        "<!(node scripts/libtorch-config.mjs --rpath)"
      ]
    }
  ]
}
