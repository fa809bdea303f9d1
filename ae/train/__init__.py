"""Training a model: the plain trainer (the article's loss, one flat loop, callbacks), its
history, the recipe, and the speed code it uses. No threads and no UI here: `ae.live` runs the
trainer in a worker thread for the dashboard."""
