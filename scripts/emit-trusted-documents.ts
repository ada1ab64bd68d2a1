// Writes src/generated/trusted-documents.json, the safelist of TRUSTED_DOCUMENTS=only, from the
// contract's operations and the Sandbox examples (npm run trusted:emit). A test fails when the
// committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import { TRUSTED_DOCUMENTS_FILE } from "../src/app/documents.js";
import { buildTrustedManifest } from "../src/app/trusted-manifest.js";

const manifest = buildTrustedManifest();
writeFileSync(TRUSTED_DOCUMENTS_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${TRUSTED_DOCUMENTS_FILE} (${manifest.operations.length} operations)`);
