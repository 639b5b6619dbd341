// A bucket's Permissions tab (Block Public Access, bucket policy, Object Ownership, ACL, CORS) and
// Properties tab (versioning, tags, default encryption, lifecycle, static website). Each section
// reads its configuration with the Get call and saves it with the Put (or Delete) call; a call
// the server answers NotImplemented is said so plainly.
import { child, s3 } from "./aws.js";
import { choice, field, h, listTable, pageHeader, showError } from "./dom.js";
import { NS, bucketTabs, cannedAclOf, grantsOf, keyValueEditor, links, section, tagsFromXml, tagsToXml, xmlEscape } from "./s3_common.js";
import { SHAPES, jsonToXml, parseJson, xmlToJson } from "./s3_xmljson.js";

const PAB_FLAGS = [
  ["BlockPublicAcls", "Block public access granted through new ACLs"],
  ["IgnorePublicAcls", "Ignore public access granted through any ACLs"],
  ["BlockPublicPolicy", "Block public access granted through new public bucket policies"],
  ["RestrictPublicBuckets", "Block public and cross-account access through any public bucket policy"],
];
const BUCKET_ACLS = [
  ["private", "Private: only the bucket owner"],
  ["public-read", "Public read: everyone can list the bucket"],
  ["public-read-write", "Public read and write"],
  ["authenticated-read", "Authenticated read: any AWS account can list the bucket"],
  ["log-delivery-write", "Log delivery write"],
];

// Reads a configuration: { doc } | { text } | { missing: true } | { unknown: error } (NotImplemented),
// or throws anything else.
async function read(operation, bucket, query, missing, asText) {
  try {
    const r = await s3(operation, { bucket, query });
    return asText ? { text: r.text } : { doc: r.xml() };
  } catch (e) {
    if (e.code === "NotImplemented") return { unknown: e };
    if (missing.includes(e.code)) return { missing: true };
    throw e;
  }
}

function notImplemented(s, e) {
  s.body.replaceChildren(h("p", { class: "note" }, `This localaws does not implement ${e.operation} (NotImplemented), so this setting cannot be shown or changed here.`));
}

// A section whose content load() (re)draws; a failed load or save shows S3's error in it.
function liveSection(id, title, intro, draw) {
  const s = section(id, title, intro);
  const load = async () => {
    try {
      await draw(s, load);
    } catch (e) {
      showError(s.err, e);
    }
  };
  s.load = load;
  return s;
}

// A button that runs a save, shows S3's error or a confirmation, then reloads the section.
function action(s, label, run, done = "Saved.", attrs = {}) {
  return h("button", {
    type: "button", ...attrs,
    onclick: async (e) => {
      const btn = e.currentTarget;
      showError(s.err, null);
      s.status.textContent = "";
      btn.disabled = true;
      try {
        await run();
        s.status.textContent = done;
        await s.load();
      } catch (ex) {
        showError(s.err, ex);
      } finally {
        btn.disabled = false;
      }
    },
  }, label);
}

async function put(operation, bucket, query, body, headers) {
  await s3(operation, { method: "PUT", bucket, query, body, headers, checksum: true });
}

function jsonEditor(label, text, rows = 14) {
  const ta = h("textarea", { class: "json", rows, spellcheck: "false", autocomplete: "off" });
  ta.value = text;
  return { ta, el: field(label, ta) };
}

function tabPage(root, bucket, tab) {
  root.replaceChildren(
    ...pageHeader(bucket, [{ label: "Buckets", href: links.buckets() }, { label: bucket, href: links.folder(bucket) }, { label: tab }], []),
    bucketTabs(bucket, tab));
}

async function showSections(root, sections, focus) {
  for (const s of sections) root.append(s.el);
  await Promise.all(sections.map((s) => s.load()));
  const target = focus && root.querySelector(`#h-${CSS.escape(focus)}`);
  // After the shell has put focus on the page heading (it does once this route returns).
  if (target) {
    setTimeout(() => {
      target.closest("section").classList.add("targeted");
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }, 0);
  }
}

// ---- Permissions ----------------------------------------------------------------------------

function publicAccessSection(bucket) {
  return liveSection("public-access", "Block Public Access (bucket settings)",
    "Public access is granted through ACLs and bucket policies; these settings override them (Get/Put/DeletePublicAccessBlock).", async (s) => {
      const r = await read("GetPublicAccessBlock", bucket, { publicAccessBlock: "" }, ["NoSuchPublicAccessBlockConfiguration"]);
      if (r.unknown) return notImplemented(s, r.unknown);
      const boxes = PAB_FLAGS.map(([flag, label]) => {
        const c = choice("checkbox", flag, "true", label, !!r.doc && child(r.doc, flag) === "true");
        return c;
      });
      const inputs = boxes.map((b) => b.querySelector("input"));
      const all = choice("checkbox", "block-all", "true", "Block all public access", inputs.every((i) => i.checked));
      const allInput = all.querySelector("input");
      allInput.addEventListener("change", () => { for (const i of inputs) i.checked = allInput.checked; });
      for (const i of inputs) i.addEventListener("change", () => { allInput.checked = inputs.every((x) => x.checked); });
      s.body.replaceChildren(
        h("p", {}, r.missing ? "No Block Public Access configuration: nothing is blocked." : `Current: ${PAB_FLAGS.map(([f]) => `${f} ${child(r.doc, f) === "true" ? "on" : "off"}`).join(", ")}.`),
        h("fieldset", {}, h("legend", {}, "Block Public Access"), all, h("div", { class: "indent" }, boxes)),
        h("div", { class: "toolbar" },
          action(s, "Save Block Public Access", () => put("PutPublicAccessBlock", bucket, { publicAccessBlock: "" },
            `<PublicAccessBlockConfiguration xmlns="${NS}">${PAB_FLAGS.map(([f], i) => `<${f}>${inputs[i].checked}</${f}>`).join("")}</PublicAccessBlockConfiguration>`)),
          r.missing ? null : action(s, "Remove the configuration", () => s3("DeletePublicAccessBlock", { method: "DELETE", bucket, query: { publicAccessBlock: "" } }), "Removed.")));
    });
}

function policySection(bucket) {
  return liveSection("policy", "Bucket policy", "A JSON policy document (Get/Put/DeleteBucketPolicy). It is checked to be JSON before it is sent; S3 checks the rest.", async (s) => {
    const [r, st] = await Promise.all([
      read("GetBucketPolicy", bucket, { policy: "" }, ["NoSuchBucketPolicy"], true),
      read("GetBucketPolicyStatus", bucket, { policyStatus: "" }, ["NoSuchBucketPolicy"]).catch(() => ({})),
    ]);
    if (r.unknown) return notImplemented(s, r.unknown);
    let text = r.text || "";
    try { if (text) text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* shown as stored */ }
    const ed = jsonEditor("Policy (JSON)", text, 16);
    ed.ta.placeholder = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}]}`;
    const isPublic = st.doc && child(st.doc, "IsPublic") === "true";
    s.body.replaceChildren(
      h("p", {}, r.missing ? "No bucket policy." : isPublic ? h("span", { class: "badge public" }, "This policy makes the bucket public") : "The policy does not make the bucket public."),
      ed.el,
      h("div", { class: "toolbar" },
        action(s, "Save policy", async () => {
          const doc = parseJson(ed.ta.value, "The policy");
          if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new Error("The policy must be a JSON object with a Statement.");
          await put("PutBucketPolicy", bucket, { policy: "" }, ed.ta.value);
        }, "Policy saved."),
        r.missing ? null : action(s, "Delete policy", () => s3("DeleteBucketPolicy", { method: "DELETE", bucket, query: { policy: "" } }), "Policy deleted.")));
  });
}

const OWNERSHIP = [
  ["BucketOwnerEnforced", "ACLs disabled: bucket owner enforced (recommended)"],
  ["BucketOwnerPreferred", "ACLs enabled: bucket owner preferred"],
  ["ObjectWriter", "ACLs enabled: object writer"],
];

function ownershipSection(bucket) {
  return liveSection("ownership", "Object Ownership", "Who owns new objects, and whether ACLs apply (Get/PutBucketOwnershipControls).", async (s) => {
    const r = await read("GetBucketOwnershipControls", bucket, { ownershipControls: "" }, ["OwnershipControlsNotFoundError"]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const current = r.doc ? r.doc.getElementsByTagName("ObjectOwnership")[0]?.textContent : "ObjectWriter";
    const radios = OWNERSHIP.map(([v, label]) => choice("radio", "object-ownership", v, label, v === current));
    s.body.replaceChildren(
      h("p", {}, `Current: ${current}${r.missing ? " (no ownership controls)" : ""}.`),
      h("fieldset", {}, h("legend", {}, "Object Ownership"), radios),
      action(s, "Save Object Ownership", () => {
        const v = s.body.querySelector("input[name=object-ownership]:checked").value;
        return put("PutBucketOwnershipControls", bucket, { ownershipControls: "" },
          `<OwnershipControls xmlns="${NS}"><Rule><ObjectOwnership>${v}</ObjectOwnership></Rule></OwnershipControls>`);
      }, "Object Ownership saved."));
  });
}

function aclSection(bucket) {
  return liveSection("acl", "Access control list (ACL)", "The bucket's grants (Get/PutBucketAcl).", async (s) => {
    const [r, own] = await Promise.all([
      read("GetBucketAcl", bucket, { acl: "" }, []),
      read("GetBucketOwnershipControls", bucket, { ownershipControls: "" }, ["OwnershipControlsNotFoundError"]).catch(() => ({})),
    ]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const tbody = h("tbody");
    for (const g of grantsOf(r.doc)) tbody.append(h("tr", {}, h("td", {}, g.who), h("td", {}, g.permission)));
    s.body.replaceChildren(listTable(`Grants on ${bucket}`, ["Grantee", "Permission"], tbody));
    if (own.doc && own.doc.getElementsByTagName("ObjectOwnership")[0]?.textContent === "BucketOwnerEnforced") {
      s.body.append(h("p", { class: "note" }, "ACLs are disabled (Object Ownership: bucket owner enforced): the ACL cannot be changed. ",
        h("a", { href: links.permissions(bucket, "ownership") }, "Enable ACLs under Object Ownership")));
      return;
    }
    const now = cannedAclOf(r.doc) || "private";
    const radios = BUCKET_ACLS.map(([v, label]) => choice("radio", "bucket-acl", v, label, v === now));
    s.body.append(h("fieldset", {}, h("legend", {}, "Canned ACL"), radios),
      action(s, "Save ACL", () => s3("PutBucketAcl", { method: "PUT", bucket, query: { acl: "" },
        headers: { "x-amz-acl": s.body.querySelector("input[name=bucket-acl]:checked").value } }), "ACL saved."));
  });
}

function corsSection(bucket) {
  return liveSection("cors", "Cross-origin resource sharing (CORS)", "CORS rules as JSON, as the AWS console shows them (Get/Put/DeleteBucketCors).", async (s) => {
    const r = await read("GetBucketCors", bucket, { cors: "" }, ["NoSuchCORSConfiguration"]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const rules = r.doc ? xmlToJson(r.doc, SHAPES.cors).CORSRules || [] : [];
    const ed = jsonEditor("CORS rules (JSON)", r.doc ? JSON.stringify(rules, null, 2) : "", 12);
    ed.ta.placeholder = '[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 3000}]';
    s.body.replaceChildren(h("p", {}, r.missing ? "No CORS configuration." : `${rules.length} rule(s).`), ed.el,
      h("div", { class: "toolbar" },
        action(s, "Save CORS", async () => {
          const v = parseJson(ed.ta.value, "The CORS configuration");
          if (!Array.isArray(v)) throw new Error("The CORS configuration must be a JSON array of rules.");
          await put("PutBucketCors", bucket, { cors: "" }, jsonToXml({ CORSRules: v }, SHAPES.cors));
        }, "CORS saved."),
        r.missing ? null : action(s, "Delete CORS", () => s3("DeleteBucketCors", { method: "DELETE", bucket, query: { cors: "" } }), "CORS deleted.")));
  });
}

export async function renderPermissions(root, bucket, focus) {
  tabPage(root, bucket, "Permissions");
  await showSections(root, [publicAccessSection(bucket), policySection(bucket), ownershipSection(bucket),
    aclSection(bucket), corsSection(bucket)], focus);
}

// ---- Properties -----------------------------------------------------------------------------

function versioningSection(bucket) {
  return liveSection("versioning", "Bucket versioning", "Keep every version of every object (Get/PutBucketVersioning).", async (s) => {
    const r = await read("GetBucketVersioning", bucket, { versioning: "" }, []);
    if (r.unknown) return notImplemented(s, r.unknown);
    const status = child(r.doc, "Status");
    s.body.replaceChildren(
      h("p", {}, `Versioning: ${status || "Disabled (never enabled)"}.`),
      h("fieldset", {}, h("legend", {}, "Versioning"),
        choice("radio", "versioning", "Enabled", "Enable", status === "Enabled"),
        choice("radio", "versioning", "Suspended", "Suspend", status !== "Enabled",
          "Suspending keeps the existing versions; new writes get the version null.")),
      action(s, "Save versioning", () => put("PutBucketVersioning", bucket, { versioning: "" },
        `<VersioningConfiguration xmlns="${NS}"><Status>${s.body.querySelector("input[name=versioning]:checked").value}</Status></VersioningConfiguration>`), "Versioning saved."));
  });
}

function bucketTagsSection(bucket) {
  return liveSection("tags", "Tags", "Bucket tags (Get/Put/DeleteBucketTagging).", async (s) => {
    const r = await read("GetBucketTagging", bucket, { tagging: "" }, ["NoSuchTagSet"]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const editor = keyValueEditor(r.doc ? tagsFromXml(r.doc) : [], { noun: "Bucket tag" });
    s.body.replaceChildren(r.missing ? h("p", {}, "No tags.") : "", editor.el,
      action(s, "Save tags", () => {
        const v = editor.values();
        if (v.length === 0) return s3("DeleteBucketTagging", { method: "DELETE", bucket, query: { tagging: "" } });
        return put("PutBucketTagging", bucket, { tagging: "" }, tagsToXml(v));
      }, "Tags saved."));
  });
}

function encryptionSection(bucket) {
  return liveSection("encryption", "Default encryption", "How new objects are encrypted when a request names no encryption (Get/PutBucketEncryption).", async (s) => {
    const r = await read("GetBucketEncryption", bucket, { encryption: "" }, ["ServerSideEncryptionConfigurationNotFoundError"]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const algo = r.doc ? r.doc.getElementsByTagName("SSEAlgorithm")[0]?.textContent || "" : "";
    const keyId = r.doc ? r.doc.getElementsByTagName("KMSMasterKeyID")[0]?.textContent || "" : "";
    const bucketKey = r.doc ? r.doc.getElementsByTagName("BucketKeyEnabled")[0]?.textContent === "true" : false;
    const kms = h("input", { type: "text", value: keyId, autocomplete: "off", spellcheck: "false" });
    const bk = choice("checkbox", "bucket-key", "true", "Bucket Key (fewer KMS calls for SSE-KMS)", bucketKey);
    s.body.replaceChildren(
      h("p", {}, r.missing ? "No default encryption configured." : `Current: ${algo}${keyId ? ` with key ${keyId}` : ""}, Bucket Key ${bucketKey ? "enabled" : "disabled"}.`),
      h("fieldset", {}, h("legend", {}, "Encryption type"),
        choice("radio", "sse", "AES256", "SSE-S3: keys managed by S3 (AES256)", algo !== "aws:kms" && algo !== "aws:kms:dsse"),
        choice("radio", "sse", "aws:kms", "SSE-KMS: AWS KMS keys (aws:kms)", algo === "aws:kms"),
        choice("radio", "sse", "aws:kms:dsse", "DSSE-KMS: dual-layer (aws:kms:dsse)", algo === "aws:kms:dsse")),
      field("KMS key ID (SSE-KMS, optional)", kms), bk,
      action(s, "Save encryption", () => {
        const a = s.body.querySelector("input[name=sse]:checked").value;
        const key = a !== "AES256" && kms.value.trim() ? `<KMSMasterKeyID>${xmlEscape(kms.value.trim())}</KMSMasterKeyID>` : "";
        return put("PutBucketEncryption", bucket, { encryption: "" },
          `<ServerSideEncryptionConfiguration xmlns="${NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${a}</SSEAlgorithm>${key}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${bk.querySelector("input").checked}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`);
      }, "Encryption saved."));
  });
}

function lifecycleSection(bucket) {
  return liveSection("lifecycle", "Lifecycle rules", "Rules as JSON in the AWS CLI's shape (Get/Put/DeleteBucketLifecycleConfiguration).", async (s) => {
    const r = await read("GetBucketLifecycleConfiguration", bucket, { lifecycle: "" }, ["NoSuchLifecycleConfiguration"]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const conf = r.doc ? xmlToJson(r.doc, SHAPES.lifecycle) : null;
    const ed = jsonEditor("Lifecycle configuration (JSON)", conf ? JSON.stringify(conf, null, 2) : "", 14);
    ed.ta.placeholder = '{"Rules": [{"ID": "expire-logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}}]}';
    const rules = conf?.Rules || [];
    const tbody = h("tbody");
    for (const rule of rules) tbody.append(h("tr", {}, h("td", {}, rule.ID || ""), h("td", {}, rule.Status || ""),
      h("td", {}, rule.Filter?.Prefix ?? rule.Prefix ?? (rule.Filter ? JSON.stringify(rule.Filter) : "")),
      h("td", {}, Object.keys(rule).filter((k) => !["ID", "Status", "Filter", "Prefix"].includes(k)).join(", "))));
    s.body.replaceChildren(
      r.missing ? h("p", {}, "No lifecycle rules.") : listTable(`Lifecycle rules of ${bucket}`, ["ID", "Status", "Filter", "Actions"], tbody),
      ed.el,
      h("div", { class: "toolbar" },
        action(s, "Save lifecycle rules", async () => {
          const v = parseJson(ed.ta.value, "The lifecycle configuration");
          if (!v || !Array.isArray(v.Rules)) throw new Error('The lifecycle configuration must be an object with "Rules": [...].');
          await put("PutBucketLifecycleConfiguration", bucket, { lifecycle: "" }, jsonToXml(v, SHAPES.lifecycle));
        }, "Lifecycle rules saved."),
        r.missing ? null : action(s, "Delete lifecycle rules", () => s3("DeleteBucketLifecycle", { method: "DELETE", bucket, query: { lifecycle: "" } }), "Lifecycle rules deleted.")));
  });
}

function websiteSection(bucket) {
  return liveSection("website", "Static website hosting", "Serve the bucket as a website (Get/Put/DeleteBucketWebsite); objects must be publicly readable.", async (s) => {
    const r = await read("GetBucketWebsite", bucket, { website: "" }, ["NoSuchWebsiteConfiguration"]);
    if (r.unknown) return notImplemented(s, r.unknown);
    const index = r.doc?.getElementsByTagName("IndexDocument")[0];
    const error = r.doc?.getElementsByTagName("ErrorDocument")[0];
    const redirect = r.doc?.getElementsByTagName("RedirectAllRequestsTo")[0];
    const suffix = h("input", { type: "text", value: index ? child(index, "Suffix") : "index.html", autocomplete: "off" });
    const errKey = h("input", { type: "text", value: error ? child(error, "Key") : "", autocomplete: "off" });
    s.body.replaceChildren(
      h("p", {}, r.missing ? "Static website hosting is off." : redirect ? `On: every request redirects to ${child(redirect, "HostName")}.` : `On: index document ${child(index, "Suffix")}${error ? `, error document ${child(error, "Key")}` : ""}.`),
      field("Index document", suffix), field("Error document (optional)", errKey),
      h("div", { class: "toolbar" },
        action(s, "Save website", () => {
          if (!suffix.value.trim()) throw new Error("The index document is required (for example index.html).");
          const err = errKey.value.trim() ? `<ErrorDocument><Key>${xmlEscape(errKey.value.trim())}</Key></ErrorDocument>` : "";
          return put("PutBucketWebsite", bucket, { website: "" },
            `<WebsiteConfiguration xmlns="${NS}"><IndexDocument><Suffix>${xmlEscape(suffix.value.trim())}</Suffix></IndexDocument>${err}</WebsiteConfiguration>`);
        }, "Website saved."),
        r.missing ? null : action(s, "Turn website hosting off", () => s3("DeleteBucketWebsite", { method: "DELETE", bucket, query: { website: "" } }), "Website hosting off.")));
  });
}

export async function renderProperties(root, bucket, focus) {
  tabPage(root, bucket, "Properties");
  await showSections(root, [versioningSection(bucket), bucketTagsSection(bucket), encryptionSection(bucket),
    lifecycleSection(bucket), websiteSection(bucket)], focus);
}
