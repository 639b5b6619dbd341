"""The same story, same ranker binary, against localaws: only the endpoint differs.

Registered with CTest as "app-e2e: localaws".
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import story  # noqa: E402


class RankerOnLocalAws(story.RankerStory, unittest.TestCase):
    def make_server(self):
        return story.LocalAwsServer()


if __name__ == "__main__":
    unittest.main()
