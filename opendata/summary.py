"""What an import did, in a form a command line and an admin page can both show."""

from dataclasses import asdict, dataclass, field


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was changed."""


@dataclass(frozen=True)
class Rejection:
    key: str  # the item's own identifier in the file (slug, row number and name...)
    reason: str


@dataclass
class ImportSummary:
    source: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unpublished: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    # Rows of the file that described one item between them, and how many items they made.
    merged_rows: int = 0
    merged_into: int = 0
    # Things kept but worth a curator's look: unknown codes, guessed time zones...
    warnings: dict[str, int] = field(default_factory=dict)

    def reject(self, key, reason):
        self.rejected.append(Rejection(str(key), reason))

    def warn(self, message):
        self.warnings[message] = self.warnings.get(message, 0) + 1

    @property
    def counts(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unpublished": self.unpublished,
            "rejected": len(self.rejected),
        }

    def headline(self):
        prefix = "Dry run, nothing saved: " if self.dry_run else ""
        text = prefix + ", ".join(f"{n} {label}" for label, n in self.counts.items()) + "."
        return f"{text} {self.merged_line()}" if self.merged_rows else text

    def merged_line(self):
        return (
            f"Merged {self.merged_rows} rows into {self.merged_into} "
            f"{'entry' if self.merged_into == 1 else 'entries'} (the same facility on several "
            "rows)."
        )

    def lines(self):
        """The full report, one line each, for a terminal or a message list."""
        out = [f"{self.source}: {self.headline()}"]
        for message, n in sorted(self.warnings.items()):
            out.append(f"Note: {message}" + (f" ({n} items)" if n > 1 else ""))
        for rejection in self.rejected:
            out.append(f"Rejected {rejection.key}: {rejection.reason}")
        return out

    def as_dict(self):
        """Plain JSON-ready data, so a task can store the summary for a page to show later."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        rejected = [Rejection(**r) for r in data.get("rejected", [])]
        return cls(**{**data, "rejected": rejected})
