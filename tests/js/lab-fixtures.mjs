// What mlpsite.lab.choices() returns, in the shape the lab's form reads (a fixture of the JS
// tests; tests/unit/test_site_lab.py checks Python's own answer has this shape and these limits).
export const CHOICES = {
  activations: ["sigmoid", "relu", "tanh", "leaky_relu"],
  optimizers: [
    { name: "sgd", beta: null }, { name: "momentum", beta: "beta" }, { name: "nesterov", beta: "beta" },
    { name: "rmsprop", beta: "rho" }, { name: "adam", beta: "beta1" },
  ],
  dtypes: ["float32", "float64"],
  inputs: 784,
  classes: 10,
  limits: {
    units: [1, 4096], layers: [1, 8], parameters: [1, 20_000_000], learning_rate: [0, 100], beta: [0, 1],
    batch_size: [1, 10_000], epochs: [1, 100], seed: [0, 4_294_967_295], weight_decay: [0, 10], l2: [0, 1],
    dropout: [0, 1], warmup_epochs: [0, 100], step_epochs: [1, 100], gamma: [0, 1],
  },
  schedules: ["constant", "step", "cosine"],
  backends: ["kernel", "numpy"],
};
