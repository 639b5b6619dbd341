"""docs/workshop.md cannot go stale: every ```sh block of the guide runs, in order, against a fresh
localaws, and the ```text block that follows a command ("You should see") must match its output.

In an expected block, "…" stands for any text and runs of spaces for any whitespace; its lines must
appear in the command's output in that order. The guide's own start command (scripts/localaws ...)
is replaced by a server started here with the same flags on a free port, and the guide's endpoint
http://localhost:4566 by that server's.
"""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

from localaws_support import ROOT, LocalAws

GUIDE = os.path.join(ROOT, "docs", "workshop.md")
GUIDE_ENDPOINT = "http://localhost:4566"
START = "scripts/localaws"


def read_blocks(path):
    """[(kind, text, line)] for the ```sh and ```text fences of a markdown file, in order."""
    blocks, kind, buf, start = [], None, [], 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fence = re.match(r"^```(\w*)\s*$", line)
            if kind is None and fence:
                kind, buf, start = fence.group(1), [], n
            elif kind is not None and line.startswith("```"):
                blocks.append((kind, "".join(buf), start))
                kind = None
            elif kind is not None:
                buf.append(line)
    if kind is not None:
        raise AssertionError("%s: unclosed code fence at line %d" % (path, start))
    return blocks


def steps(blocks):
    """[(command, expected or None, line)]: each sh block with the text block right after it."""
    out = []
    for i, (kind, text, line) in enumerate(blocks):
        if kind != "sh":
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        out.append((text, nxt[1] if nxt and nxt[0] == "text" else None, line))
    return out


def line_pattern(expected_line):
    words = [".*".join(re.escape(part) for part in word.split("…")) for word in expected_line.split()]
    return re.compile(r"\s+".join(words))


def missing_lines(expected, actual):
    """The expected lines not found, in order, among the actual output's lines."""
    have = [l.strip() for l in actual.splitlines()]
    at, missing = 0, []
    for want in [l for l in expected.splitlines() if l.strip()]:
        pat = line_pattern(want)
        found = next((i for i in range(at, len(have)) if pat.fullmatch(have[i])), None)
        if found is None:
            missing.append(want.strip())
        else:
            at = found + 1
    return missing


class WorkshopParsingTest(unittest.TestCase):
    """The guide's shape: what the runner below relies on, and what keeps readers off real AWS."""

    def test_every_aws_command_names_the_local_endpoint(self):
        commands = steps(read_blocks(GUIDE))
        self.assertGreaterEqual(len(commands), 10)
        for text, _, line in commands:
            joined = text.replace("\\\n", " ")
            for cmd in re.findall(r"(?m)^\s*aws\s.*$", joined):
                self.assertIn("--endpoint-url %s" % GUIDE_ENDPOINT, cmd, "line %d: %s" % (line, cmd))

    def test_console_steps_name_what_the_console_shows(self):
        """Every **label** of a "Console." paragraph is text of the console's pages."""
        console_dir = os.path.join(ROOT, "emulator", "src", "control", "console")
        sources = ""
        for name in os.listdir(console_dir):
            with open(os.path.join(console_dir, name), encoding="utf-8") as f:
                sources += f.read()
        with open(GUIDE, encoding="utf-8") as f:
            paragraphs = f.read().split("\n\n")
        labels = set()
        for para in paragraphs:
            if para.startswith("**Console.**"):
                labels.update(re.findall(r"\*\*([^*]+)\*\*", para.replace("\n", " ")))
        labels.discard("Console.")
        self.assertGreaterEqual(len(labels), 15)
        for label in sorted(labels):
            self.assertTrue(label in sources, "docs/workshop.md names a console label that does not exist: " + label)

    def test_matching_rules(self):
        self.assertEqual(missing_lines("… 0 Test Folder/\n", "2026-11-24 09:40:00          0 Test Folder/\n"), [])
        self.assertEqual(missing_lines("a\nb\n", "b\na\n"), ["b"])
        self.assertEqual(missing_lines("200 image/jpeg\n", "403 application/xml\n"), ["200 image/jpeg"])


class WorkshopGuideTest(unittest.TestCase):
    def test_the_guide_runs_as_written(self):
        commands = steps(read_blocks(GUIDE))
        starts = [c for c in commands if c[0].strip().startswith(START)]
        self.assertEqual(len(starts), 1, "the guide starts localaws exactly once")
        flags = shlex.split(starts[0][0].strip())[1:]
        in_memory = "--in-memory" in flags
        flags = [f for f in flags if f != "--in-memory"]

        work = tempfile.mkdtemp(prefix="localaws-workshop-")
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        os.makedirs(os.path.join(work, "fixtures"))
        shutil.copy(os.path.join(ROOT, "fixtures", "graph.jpg"), os.path.join(work, "fixtures", "graph.jpg"))
        state = os.path.join(work, ".exports")
        open(state, "w").close()
        # Nothing from the machine's own AWS setup: the guide's exports must be enough.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["AWS_CONFIG_FILE"] = os.path.join(work, "no-aws-config")
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(work, "no-aws-credentials")

        with LocalAws(*flags, in_memory=in_memory) as server:
            for text, expected, line in commands:
                if text.strip().startswith(START):
                    continue
                script = text.replace(GUIDE_ENDPOINT, server.endpoint)
                # Each block runs in its own bash; exported variables carry over to the next block.
                wrapped = "set -euo pipefail\nsource %s\n%s\nexport -p | grep ' AWS_' > %s || true\n" % (
                    shlex.quote(state), script, shlex.quote(state))
                p = subprocess.run(["bash", "-c", wrapped], cwd=work, env=env, capture_output=True, text=True,
                                   timeout=120)
                output = p.stdout + p.stderr
                self.assertEqual(p.returncode, 0, "docs/workshop.md line %d failed (%d):\n%s\n%s"
                                 % (line, p.returncode, text, output))
                if expected is not None:
                    self.assertEqual(missing_lines(expected, output), [],
                                     "docs/workshop.md line %d: output lacks what the guide promises:\n%s"
                                     % (line, output))
            # The clean-up step removed what the guide downloaded.
            self.assertFalse(os.path.exists(os.path.join(work, "graph-from-localaws.jpg")), "the guide cleans up")


if __name__ == "__main__":
    unittest.main()
