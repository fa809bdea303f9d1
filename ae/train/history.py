"""What training did: the loss of every step and one record per completed epoch.

Kept apart from the trainer because checkpoints, the dashboard's run and the plots read it
without training anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class History:
    """The loss of every step, its parts (the VAE's r_loss and kl_loss, one per step), and one
    record per completed epoch."""

    steps: list[float] = field(default_factory=list)
    epochs: list[dict] = field(default_factory=list)  # epoch, train_loss, test_loss, lr, ...
    parts: dict[str, list[float]] = field(default_factory=dict)  # {} for the autoencoder

    def to_dict(self) -> dict:
        """Plain lists, dicts, floats and ints: safe for JSON and `torch.load(weights_only)`."""
        d = {"steps": [float(s) for s in self.steps], "epochs": [dict(e) for e in self.epochs]}
        if self.parts:
            d["parts"] = {k: [float(v) for v in vs] for k, vs in self.parts.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict | None) -> History:
        if not d:
            return cls()
        steps, epochs = d.get("steps", []), d.get("epochs", [])
        if not isinstance(steps, (list, tuple)) or not isinstance(epochs, (list, tuple)):
            raise ValueError("history: 'steps' and 'epochs' must be lists")
        if not all(isinstance(e, dict) for e in epochs):
            raise ValueError("history: every epoch record must be a dict")
        parts = d.get("parts", {})
        if not isinstance(parts, dict) or not all(isinstance(v, (list, tuple))
                                                   for v in parts.values()):
            raise ValueError("history: 'parts' must map each part's name to a list of losses")
        return cls([float(s) for s in steps], [dict(e) for e in epochs],
                   {str(k): [float(x) for x in v] for k, v in parts.items()})
