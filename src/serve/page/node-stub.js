// Stands in for the Node built-ins (fs, os, path, perf_hooks) that TF.js's
// WASM backend bundle imports at the top but only uses when it runs under Node.
export default {};
