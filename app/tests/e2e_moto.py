"""The ranker's end-to-end story against moto_server, a third-party AWS emulator."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import story  # noqa: E402


class RankerOnMoto(story.RankerStory, unittest.TestCase):
    def make_server(self):
        return story.MotoServer()


if __name__ == "__main__":
    unittest.main()
