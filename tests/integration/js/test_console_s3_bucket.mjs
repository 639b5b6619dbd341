// A bucket's Permissions and Properties tabs in headless Chromium, and creating a bucket the user
// already owns. Each setting saved in the console is read back with the JS SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, DeletePublicAccessBlockCommand, GetBucketAclCommand, GetBucketCorsCommand, GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketTaggingCommand,
  GetBucketVersioningCommand, GetBucketWebsiteCommand, GetPublicAccessBlockCommand, PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { rejectsWith } from "./support.mjs";
import { consoleSuite } from "./console_s3_support.mjs";

const suite = consoleSuite("console-s3-bucket");
const send = (c) => suite.s3.send(c);
const publicPolicy = (b) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/*` }] });

test("Permissions: Block Public Access, policy (checked, S3's errors shown), ownership, ACL, CORS", suite.run("permissions", async () => {
  const B = "perm-bucket";
  await send(new CreateBucketCommand({ Bucket: B }));
  const { page, pageErrors } = await suite.open(`#/s3/permissions/${B}`);
  await page.getByRole("link", { name: "Permissions" }).and(page.locator("[aria-current=page]")).waitFor();

  // Block Public Access off, all four at once.
  const pab = page.getByRole("region", { name: "Block Public Access (bucket settings)" });
  await pab.getByLabel("Block all public access").uncheck();
  await pab.getByRole("button", { name: "Save Block Public Access" }).click();
  await pab.getByText("Saved.").waitFor();
  assert.deepEqual((await send(new GetPublicAccessBlockCommand({ Bucket: B }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });

  // Policy: not JSON is refused before anything is sent; S3's MalformedPolicy is shown; then a good one.
  const pol = page.getByRole("region", { name: "Bucket policy" });
  const before = (await suite.ops()).filter((o) => o === "PutBucketPolicy").length;
  await pol.getByLabel("Policy (JSON)").fill('{"Version": "2012-10-17", "Statement": [');
  await pol.getByRole("button", { name: "Save policy" }).click();
  await pol.getByRole("alert").getByText("The policy is not valid JSON", { exact: false }).waitFor();
  assert.equal((await suite.ops()).filter((o) => o === "PutBucketPolicy").length, before, "nothing was sent");
  await pol.getByLabel("Policy (JSON)").fill(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::some-other-bucket/*" }] }));
  await pol.getByRole("button", { name: "Save policy" }).click();
  await pol.getByRole("alert").getByText("MalformedPolicy").waitFor();
  await pol.getByLabel("Policy (JSON)").fill(publicPolicy(B));
  await pol.getByRole("button", { name: "Save policy" }).click();
  await pol.getByText("This policy makes the bucket public").waitFor();
  assert.deepEqual(JSON.parse((await send(new GetBucketPolicyCommand({ Bucket: B }))).Policy).Statement[0].Resource, `arn:aws:s3:::${B}/*`);

  // ACLs are disabled (the default): the ACL section says so and points to Object Ownership.
  const acl = page.getByRole("region", { name: "Access control list (ACL)" });
  await acl.getByText("ACLs are disabled", { exact: false }).waitFor();
  const own = page.getByRole("region", { name: "Object Ownership" });
  await own.getByLabel("ACLs enabled: bucket owner preferred").check();
  await own.getByRole("button", { name: "Save Object Ownership" }).click();
  await own.getByText("Current: BucketOwnerPreferred").waitFor();
  assert.equal((await send(new GetBucketOwnershipControlsCommand({ Bucket: B }))).OwnershipControls.Rules[0].ObjectOwnership, "BucketOwnerPreferred");
  await page.reload();
  const acl2 = page.getByRole("region", { name: "Access control list (ACL)" });
  await acl2.getByLabel(/^Public read:/).check();
  await acl2.getByRole("button", { name: "Save ACL" }).click();
  await acl2.getByRole("row", { name: /Everyone \(public access\)\s+READ/ }).waitFor();
  assert.ok((await send(new GetBucketAclCommand({ Bucket: B }))).Grants.some((g) => g.Grantee.URI?.endsWith("/AllUsers") && g.Permission === "READ"));

  // CORS as JSON.
  const cors = page.getByRole("region", { name: "Cross-origin resource sharing (CORS)" });
  await cors.getByLabel("CORS rules (JSON)").fill(JSON.stringify([{ AllowedOrigins: ["http://localhost:3000"], AllowedMethods: ["GET", "PUT"], AllowedHeaders: ["*"], MaxAgeSeconds: 300 }]));
  await cors.getByRole("button", { name: "Save CORS" }).click();
  await cors.getByText("1 rule(s).").waitFor();
  const rules = (await send(new GetBucketCorsCommand({ Bucket: B }))).CORSRules;
  assert.deepEqual(rules[0].AllowedMethods, ["GET", "PUT"]);
  assert.equal(rules[0].MaxAgeSeconds, 300);
  assert.match(await cors.getByLabel("CORS rules (JSON)").inputValue(), /"MaxAgeSeconds": 300/);
  await cors.getByRole("button", { name: "Delete CORS" }).click();
  await cors.getByText("No CORS configuration.").waitFor();
  await rejectsWith(send(new GetBucketCorsCommand({ Bucket: B })), "NoSuchCORSConfiguration");
  // DeletePublicAccessBlock: no configuration at all.
  await pab.getByRole("button", { name: "Remove the configuration" }).click();
  await pab.getByText("No Block Public Access configuration: nothing is blocked.").waitFor();
  await rejectsWith(send(new GetPublicAccessBlockCommand({ Bucket: B })), "NoSuchPublicAccessBlockConfiguration");
  await suite.shot(page, "bucket-permissions");
  assert.deepEqual(pageErrors, []);
}));

test("the Access badge links to the Permissions section that makes the bucket public", suite.run("badge", async () => {
  const B = "badge-public";
  await send(new CreateBucketCommand({ Bucket: B }));
  await send(new DeletePublicAccessBlockCommand({ Bucket: B }));
  await send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicPolicy(B) }));
  await send(new CreateBucketCommand({ Bucket: "badge-private" }));
  const { page } = await suite.open("#/s3");
  const row = (b) => page.getByRole("row", { name: new RegExp(`^${b} `) });
  assert.match(await row("badge-private").getByRole("link", { name: "Bucket and objects not public" }).getAttribute("href"), /permissions\/badge-private\/public-access$/);
  await row(B).getByRole("link", { name: "Public", exact: true }).click();
  await page.getByRole("heading", { name: "Bucket policy" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "h-policy");
  assert.ok(await page.locator("#sec-policy").evaluate((s) => s.classList.contains("targeted")));
}));

test("Properties: versioning, tags, default encryption, lifecycle JSON, static website", suite.run("properties", async () => {
  const B = "prop-bucket";
  await send(new CreateBucketCommand({ Bucket: B }));
  const { page, pageErrors } = await suite.open(`#/s3/properties/${B}`);
  const ver = page.getByRole("region", { name: "Bucket versioning" });
  await ver.getByText("Versioning: Disabled (never enabled).").waitFor();
  await ver.getByLabel("Enable").check();
  await ver.getByRole("button", { name: "Save versioning" }).click();
  await ver.getByText("Versioning: Enabled.").waitFor();
  assert.equal((await send(new GetBucketVersioningCommand({ Bucket: B }))).Status, "Enabled");

  const tags = page.getByRole("region", { name: "Tags" });
  await tags.getByRole("button", { name: "Add bucket tag" }).click();
  await tags.getByLabel("Bucket tag 1 key").fill("project");
  await tags.getByLabel("Bucket tag 1 value").fill("coffee");
  await tags.getByRole("button", { name: "Save tags" }).click();
  await tags.getByText("Tags saved.").waitFor();
  assert.deepEqual((await send(new GetBucketTaggingCommand({ Bucket: B }))).TagSet, [{ Key: "project", Value: "coffee" }]);

  const enc = page.getByRole("region", { name: "Default encryption" });
  await enc.getByText("Current: AES256", { exact: false }).waitFor();
  await enc.getByLabel("SSE-KMS: AWS KMS keys (aws:kms)").check();
  await enc.getByLabel("KMS key ID (SSE-KMS, optional)").fill("alias/coffee");
  await enc.getByRole("button", { name: "Save encryption" }).click();
  await enc.getByText("Current: aws:kms with key alias/coffee", { exact: false }).waitFor();
  const rule = (await send(new GetBucketEncryptionCommand({ Bucket: B }))).ServerSideEncryptionConfiguration.Rules[0];
  assert.equal(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm, "aws:kms");
  assert.equal(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID, "alias/coffee");

  const lc = page.getByRole("region", { name: "Lifecycle rules" });
  await lc.getByText("No lifecycle rules.").waitFor();
  await lc.getByLabel("Lifecycle configuration (JSON)").fill("{not json");
  await lc.getByRole("button", { name: "Save lifecycle rules" }).click();
  await lc.getByRole("alert").getByText("is not valid JSON", { exact: false }).waitFor();
  const rules = [
    { ID: "expire-logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 365 }, Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }] },
    { ID: "one-tag", Status: "Enabled", Filter: { Tag: { Key: "t", Value: "v" } }, Expiration: { Days: 400 } },
    { ID: "and", Status: "Disabled", Filter: { And: { Prefix: "a/", Tags: [{ Key: "k1", Value: "v1" }, { Key: "k2", Value: "v2" }] } }, Expiration: { Days: 500 } },
  ];
  await lc.getByLabel("Lifecycle configuration (JSON)").fill(JSON.stringify({ Rules: rules }));
  await lc.getByRole("button", { name: "Save lifecycle rules" }).click();
  await lc.getByRole("row", { name: /expire-logs\s+Enabled\s+logs\// }).waitFor();
  const lcr = (await send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }))).Rules[0];
  assert.equal(lcr.Expiration.Days, 365);
  assert.equal(lcr.Transitions[0].StorageClass, "STANDARD_IA");
  // What the editor shows again is what was saved, lists and single tags in the CLI's shape.
  assert.deepEqual(JSON.parse(await lc.getByLabel("Lifecycle configuration (JSON)").inputValue()).Rules, rules);
  const stored = (await send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }))).Rules;
  assert.deepEqual(stored[2].Filter.And.Tags, rules[2].Filter.And.Tags);
  assert.deepEqual(stored[1].Filter.Tag, { Key: "t", Value: "v" });
  // S3's own validation error (a transition to STANDARD_IA needs 30 days or more) is shown.
  await lc.getByLabel("Lifecycle configuration (JSON)").fill(JSON.stringify({ Rules: [{ ID: "x", Status: "Enabled", Filter: {}, Transitions: [{ Days: 1, StorageClass: "STANDARD_IA" }] }] }));
  await lc.getByRole("button", { name: "Save lifecycle rules" }).click();
  await lc.getByRole("alert").getByText("PutBucketLifecycleConfiguration failed", { exact: false }).waitFor();

  const web = page.getByRole("region", { name: "Static website hosting" });
  await web.getByText("Static website hosting is off.").waitFor();
  await web.getByLabel("Error document (optional)").fill("error.html");
  await web.getByRole("button", { name: "Save website" }).click();
  await web.getByText("On: index document index.html, error document error.html.").waitFor();
  const site = await send(new GetBucketWebsiteCommand({ Bucket: B }));
  assert.equal(site.IndexDocument.Suffix, "index.html");
  assert.equal(site.ErrorDocument.Key, "error.html");
  await web.getByRole("button", { name: "Turn website hosting off" }).click();
  await web.getByText("Static website hosting is off.").waitFor();
  await rejectsWith(send(new GetBucketWebsiteCommand({ Bucket: B })), "NoSuchWebsiteConfiguration");
  await suite.shot(page, "bucket-properties");
  assert.doesNotMatch(await page.locator("main").innerText(), /^null$/m, "no stray null on the page");
  assert.deepEqual(pageErrors, []);
}));

test("a configuration the server answers NotImplemented is said so plainly", suite.run("not-implemented", async () => {
  const B = "half-implemented";
  await send(new CreateBucketCommand({ Bucket: B }));
  const { page } = await suite.open("#/s3");
  // Stand in for a server without static websites: its GetBucketWebsite answers 501 NotImplemented.
  await page.route((url) => url.searchParams.has("website"), (route) => route.fulfill({
    status: 501, contentType: "application/xml",
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>GetBucketWebsite is not implemented</Message></Error>',
  }));
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/properties/${B}`);
  const web = page.getByRole("region", { name: "Static website hosting" });
  await web.getByText("This localaws does not implement GetBucketWebsite (NotImplemented)", { exact: false }).waitFor();
  assert.equal(await web.getByRole("button").count(), 0, "nothing to save");
  await page.getByRole("region", { name: "Bucket versioning" }).getByText("Versioning: Disabled (never enabled).").waitFor();
}));

test("creating a bucket you already own shows BucketAlreadyOwnedByYou in the dialog", suite.run("recreate", async () => {
  await send(new CreateBucketCommand({ Bucket: "mine-already" }));
  const { page } = await suite.open("#/s3");
  const creates = async () => (await suite.ops()).filter((o) => o === "CreateBucket").length;
  const before = await creates();
  await page.getByRole("button", { name: "Create bucket" }).click();
  const dialog = page.getByRole("dialog", { name: "Create bucket" });
  await dialog.getByLabel("Bucket name").fill("mine-already");
  await dialog.getByRole("button", { name: "Create bucket" }).click();
  await dialog.getByRole("alert").getByText("BucketAlreadyOwnedByYou").waitFor();
  await dialog.getByRole("alert").getByText("You already own this bucket", { exact: false }).waitFor();
  assert.ok(await dialog.isVisible(), "the dialog stays open");
  assert.equal(await creates(), before, "the console did not send a second CreateBucket");
}));
