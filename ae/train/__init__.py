"""Training: a plain trainer that reports through callbacks, the speed code it uses, and the
run that carries it in a worker thread for the dashboard."""
