// The S3 pages: the bucket list and the create-bucket dialog here; a bucket's objects in
// s3_folder.js, uploads in s3_upload.js, an object in s3_object.js, a bucket's properties and
// permissions in s3_bucket.js. Each action is the S3 call the AWS console makes for it.
import { AwsError, child, loadSettings, s3 } from "./aws.js";
import { choice, confirmDialog, field, formatDate, h, listPage, openDialog, showError } from "./dom.js";
import { renderPermissions, renderProperties } from "./s3_bucket.js";
import { NS, grantsPublic, links, objectUrl, optional } from "./s3_common.js";
import { renderFolder } from "./s3_folder.js";
import { renderObject } from "./s3_object.js";

export { links, objectUrl };

// The Access column, worked out as the AWS console does from the public access block, the policy
// status and the bucket ACL. section names the Permissions section that makes it (or would make
// it) public.
export async function bucketAccess(bucket) {
  const [pab, status, acl] = await Promise.all([
    optional("GetPublicAccessBlock", { bucket, query: { publicAccessBlock: "" } }, ["NoSuchPublicAccessBlockConfiguration"]),
    optional("GetBucketPolicyStatus", { bucket, query: { policyStatus: "" } }, ["NoSuchBucketPolicy"]),
    optional("GetBucketAcl", { bucket, query: { acl: "" } }, []),
  ]);
  if (pab.unknown || status.unknown || acl.unknown) {
    return { label: "Unknown", detail: "this localaws does not answer every access call (NotImplemented)", cls: "unknown", section: "public-access" };
  }
  const failed = [pab, status, acl].find((r) => r.error);
  if (failed) return { label: "Unknown", detail: failed.error.message, cls: "unknown", section: "public-access" };
  const flag = (name) => !!pab.ok && child(pab.ok, name) === "true";
  const policyPublic = !!status.ok && child(status.ok, "IsPublic") === "true";
  if (policyPublic && !flag("RestrictPublicBuckets")) return { label: "Public", cls: "public", section: "policy" };
  if (grantsPublic(acl.ok) && !flag("IgnorePublicAcls")) return { label: "Public", cls: "public", section: "acl" };
  const blocksAll = flag("BlockPublicAcls") && flag("IgnorePublicAcls") && flag("BlockPublicPolicy") && flag("RestrictPublicBuckets");
  if (!blocksAll) return { label: "Objects can be public", cls: "maybe", section: "public-access" };
  return { label: "Bucket and objects not public", cls: "private", section: "public-access" };
}

export async function renderBuckets(root, refresh) {
  const { err, tbody } = listPage(root, {
    title: "Buckets", createLabel: "Create bucket", onCreate: () => createBucketDialog(refresh), refresh,
    caption: "S3 buckets", columns: ["Name", "Access", "Creation date", { hidden: "Actions" }],
  });
  let doc;
  try {
    doc = (await s3("ListBuckets")).xml();
  } catch (e) {
    return showError(err, e);
  }
  const buckets = Array.from(doc.getElementsByTagName("Bucket"));
  if (buckets.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 4, class: "empty" }, "No buckets yet.")));
  for (const b of buckets) {
    const name = child(b, "Name");
    const access = h("td", { class: "access" }, "…");
    tbody.append(h("tr", {},
      h("td", {}, h("a", { href: links.folder(name) }, name)),
      access,
      h("td", {}, formatDate(child(b, "CreationDate"))),
      h("td", { class: "row-actions" }, h("button", {
        type: "button", "aria-label": `Delete bucket ${name}`,
        onclick: () => confirmDialog("Delete bucket", `Delete the bucket "${name}"? It must be empty.`, "Delete bucket",
          async () => { await s3("DeleteBucket", { method: "DELETE", bucket: name }); refresh(); }),
      }, "Delete"))));
    bucketAccess(name).then((a) => {
      // The badge leads to the Permissions section that decides it.
      access.replaceChildren(h("a", {
        class: `badge ${a.cls}`, href: links.permissions(name, a.section),
        title: "Open the permission that decides this",
      }, a.label));
      if (a.detail) access.append(h("span", { class: "hint" }, a.detail));
    });
  }
}

// Whether the signed-in account already owns a bucket of that name. S3 in us-east-1 answers 200 to
// the owner re-creating a bucket (a legacy behaviour), so the AWS console asks first, and so do we.
// When ListBuckets itself is refused, CreateBucket decides.
async function ownsBucket(bucket) {
  let doc;
  try {
    doc = (await s3("ListBuckets")).xml();
  } catch {
    return false;
  }
  return Array.from(doc.getElementsByTagName("Bucket")).some((b) => child(b, "Name") === bucket);
}

export function createBucketDialog(done) {
  const name = h("input", { type: "text", name: "bucket", required: true, minlength: 3, maxlength: 63, autocomplete: "off", spellcheck: "false" });
  const block = h("input", { type: "checkbox", name: "block", checked: true, id: "block-all" });
  const ack = h("input", { type: "checkbox", name: "ack", id: "ack-public" });
  const ackBox = h("div", { class: "choice warn", hidden: true }, ack,
    h("label", { for: "ack-public" }, "I acknowledge that the current settings might result in this bucket and the objects within becoming public."));
  block.addEventListener("change", () => {
    ackBox.hidden = block.checked;
    ack.required = !block.checked;
  });
  const body = h("div", {},
    field("Bucket name", name, "3-63 characters: lower-case letters, digits, dots and hyphens."),
    h("fieldset", {}, h("legend", {}, "Object Ownership"),
      choice("radio", "ownership", "BucketOwnerEnforced", "ACLs disabled (recommended)", true,
        "Bucket owner enforced: the bucket owns every object; access is managed with policies."),
      choice("radio", "ownership", "BucketOwnerPreferred", "ACLs enabled: bucket owner preferred", false,
        "Objects can carry ACLs; the bucket owner owns objects written with bucket-owner-full-control."),
      choice("radio", "ownership", "ObjectWriter", "ACLs enabled: object writer", false,
        "Objects can carry ACLs; the account that uploads an object owns it.")),
    h("fieldset", {}, h("legend", {}, "Block Public Access settings for this bucket"),
      h("div", { class: "choice" }, block, h("label", { for: "block-all" }, "Block all public access")),
      ackBox));
  openDialog({
    title: "Create bucket",
    body,
    submitLabel: "Create bucket",
    onSubmit: async ({ dialog }) => {
      const bucket = name.value.trim();
      const ownership = dialog.querySelector("input[name=ownership]:checked").value;
      const region = loadSettings().region;
      if (await ownsBucket(bucket)) {
        throw new AwsError("CreateBucket", "BucketAlreadyOwnedByYou",
          `You already own this bucket: "${bucket}" exists in your account. Choose another name.`, 409);
      }
      const createBody = region === "us-east-1" ? undefined :
        `<CreateBucketConfiguration xmlns="${NS}"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
      await s3("CreateBucket", { method: "PUT", bucket, headers: { "x-amz-object-ownership": ownership }, body: createBody });
      // As the AWS console: the bucket is created with public access blocked, then the four
      // settings are turned off.
      if (!block.checked) {
        // The bucket exists now whatever happens next: show it in the list behind the dialog.
        done();
        const flags = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
          .map((f) => `<${f}>false</${f}>`).join("");
        await s3("PutPublicAccessBlock", {
          method: "PUT", bucket, query: { publicAccessBlock: "" }, checksum: true,
          body: `<PublicAccessBlockConfiguration xmlns="${NS}">${flags}</PublicAccessBlockConfiguration>`,
        });
      }
      done();
    },
  });
}

// #/s3 (buckets), #/s3/b/BUCKET/PREFIX (a folder), #/s3/o/BUCKET/KEY[/VERSION] (an object),
// #/s3/properties/BUCKET[/SECTION] and #/s3/permissions/BUCKET[/SECTION] (a bucket's tabs).
export async function routeS3(root, args, { refresh, go }) {
  if (args[0] === "b") return renderFolder(root, args[1] || "", args[2] || "", refresh);
  if (args[0] === "o") return renderObject(root, args[1] || "", args[2] || "", args[3] || "", { refresh, go });
  if (args[0] === "permissions") return renderPermissions(root, args[1] || "", args[2] || "", refresh);
  if (args[0] === "properties") return renderProperties(root, args[1] || "", args[2] || "", refresh);
  return renderBuckets(root, refresh);
}
