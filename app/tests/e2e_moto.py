"""The ranker's end-to-end story against moto_server, a third-party AWS emulator."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import story  # noqa: E402


class RankerOnMoto(story.RankerStory, unittest.TestCase):
    def make_server(self):
        return story.MotoServer()


class RankerOnMotoViaProfile(story.RankerStory, unittest.TestCase):
    """The same story with the endpoint, region and keys only in the shared config files."""

    def make_server(self):
        return story.MotoServer()

    def configure(self, env):
        config = os.path.join(self.tmp, "config")
        credentials = os.path.join(self.tmp, "credentials")
        with open(config, "w") as f:
            f.write("[profile local]\nregion = %s\nservices = local-moto\n\n"
                    "[services local-moto]\ns3 =\n  endpoint_url = %s\ndynamodb =\n  endpoint_url = %s\n"
                    % (env["AWS_REGION"], self.server.endpoint, self.server.endpoint))
        with open(credentials, "w") as f:
            f.write("[local]\naws_access_key_id = test\naws_secret_access_key = test\n")
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL"):
            del env[k]
        env.update({"AWS_PROFILE": "local", "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials})
        return env


if __name__ == "__main__":
    unittest.main()
