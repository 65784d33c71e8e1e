#!/usr/bin/env node
// Validate a Teams app manifest (and the localization files it references)
// against the official JSON schemas bundled in the npm package
// `@microsoft/app-manifest`, fully offline.
//
// Usage: node tests/appmanifest/validate_manifest.mjs path/to/manifest.json
//
// Prints one JSON object on stdout:
//   {"valid": true|false, "manifest": "<path>", "schema": "<$schema url>",
//    "errors": [{"file": "<path>", "message": "<text>"}, ...]}
// Exit codes: 0 = valid, 1 = validation errors, 2 = usage error or the
// validator itself could not run.
//
// How the library behaves (read from its build/generated-types/index.js):
// `AppManifestUtils.validateAgainstSchema(manifest)` takes the schema from
// `manifest.$schema`; for https://developer.microsoft.com/json-schemas/teams/...
// it loads the copy bundled under build/json-schemas/, and for anything else
// (or a version it does not bundle) it silently falls back to a network
// fetch. It throws when `$schema` is missing, and otherwise resolves to an
// array of strings: [] when valid, one
// "<instancePath> <message>. Details: <params JSON>" per AJV error otherwise.
// To stay offline we check that the schema is bundled before calling it and
// disable `fetch` altogether, so an unknown schema is an error, never a
// download.
//
// Known defect in 1.1.x: every bundled MicrosoftTeams.Localization.schema.json
// (v1.5 … v1.30) has a patternProperties key with an unescaped "]"
// ("...\\b([0-9]|...)\\b]\\.description$"), which AJV rejects because it
// compiles patterns with the unicode flag, so validateAgainstSchema() throws
// "Invalid regular expression ... Lone quantifier brackets" for any
// localization file. For that one case we compile the same bundled schema with
// the library's own AJV (ajv-draft-04 + ajv-formats, same options) plus
// `unicodeRegExp: false`, which reads the "]" as the literal the schema means.

import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

const SCHEMA_PREFIX = "https://developer.microsoft.com/";
const TEAMS_SCHEMAS = `${SCHEMA_PREFIX}json-schemas/teams/`;

function emit(result, code) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(code);
}

function bundledSchemaPath(packageDir, schemaUrl) {
  if (typeof schemaUrl !== "string" || !schemaUrl.startsWith(TEAMS_SCHEMAS)) {
    return undefined;
  }
  const suffix = schemaUrl.substring(SCHEMA_PREFIX.length);
  if (suffix.split("/").some((part) => part === ".." || part === "")) {
    return undefined;
  }
  return path.join(packageDir, "build", suffix);
}

async function isFile(filePath) {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

async function readJson(filePath) {
  const text = await readFile(filePath, "utf8");
  return JSON.parse(text.replace(/^\uFEFF/, ""));
}

async function validateDocument(AppManifestUtils, packageDir, filePath, document) {
  const schemaUrl = document?.$schema;
  if (typeof schemaUrl !== "string" || schemaUrl === "") {
    return [{ file: filePath, message: "missing \"$schema\" property" }];
  }
  const local = bundledSchemaPath(packageDir, schemaUrl);
  if (local === undefined || !(await isFile(local))) {
    return [
      {
        file: filePath,
        message: `schema ${schemaUrl} is not bundled with @microsoft/app-manifest; refusing to fetch it over the network`,
      },
    ];
  }
  let messages;
  try {
    messages = await AppManifestUtils.validateAgainstSchema(document);
  } catch (error) {
    if (!(error instanceof SyntaxError && /Invalid regular expression/.test(error.message))) {
      throw error;
    }
    messages = validateWithoutUnicodeRegExp(await readSchema(local), document);
  }
  return messages.map((message) => ({ file: filePath, message: message.trim() }));
}

async function readSchema(schemaPath) {
  // Same clean-up as AppManifestUtils.fetchSchema().
  const raw = await readFile(schemaPath, "utf8");
  return JSON.parse(raw.replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

function validateWithoutUnicodeRegExp(schema, document) {
  // Resolve AJV from the library's own location so we use exactly its copy.
  const libraryRequire = createRequire(require.resolve("@microsoft/app-manifest"));
  const ajvFormats = libraryRequire("ajv-formats");
  const addFormats = ajvFormats.default ?? ajvFormats;
  let ajv;
  if (String(schema.$schema ?? "").includes("2020-12")) {
    const Ajv2020 = libraryRequire("ajv/dist/2020");
    ajv = new (Ajv2020.default ?? Ajv2020)({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  } else {
    const AjvDraft04 = libraryRequire("ajv-draft-04");
    ajv = new (AjvDraft04.default ?? AjvDraft04)({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  }
  addFormats(ajv, ["uri", "email", "regex"]);
  const validate = ajv.compile(schema);
  if (validate(JSON.parse(JSON.stringify(document)))) {
    return [];
  }
  // Same message format as AppManifestUtils.validateAgainstSchema().
  return (validate.errors ?? []).map(
    (error) =>
      `${error.instancePath} ${error.message || ""}. Details: ${error.params ? JSON.stringify(error.params) : ""}`,
  );
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length !== 1) {
    emit(
      {
        valid: false,
        errors: [{ file: null, message: "usage: node validate_manifest.mjs <manifest.json>" }],
      },
      2,
    );
  }
  const manifestPath = path.resolve(args[0]);
  const manifestDir = path.dirname(manifestPath);

  // Offline guarantee: the library falls back to fetch() for schemas it does
  // not bundle; make any such attempt fail loudly instead.
  globalThis.fetch = async (url) => {
    throw new Error(`network access disabled in validate_manifest.mjs (tried ${url})`);
  };

  let AppManifestUtils;
  let packageDir;
  try {
    ({ AppManifestUtils } = require("@microsoft/app-manifest"));
    packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  } catch (error) {
    emit(
      {
        valid: false,
        manifest: manifestPath,
        errors: [{ file: null, message: `cannot load @microsoft/app-manifest: ${error.message}` }],
      },
      2,
    );
  }

  let manifest;
  try {
    manifest = await readJson(manifestPath);
  } catch (error) {
    emit(
      {
        valid: false,
        manifest: manifestPath,
        errors: [{ file: manifestPath, message: `cannot read manifest: ${error.message}` }],
      },
      1,
    );
  }

  const errors = [];
  try {
    errors.push(...(await validateDocument(AppManifestUtils, packageDir, manifestPath, manifest)));

    // Files the manifest points at must be present next to it.
    const icons = manifest?.icons ?? {};
    for (const key of ["color", "outline"]) {
      if (typeof icons[key] === "string" && !(await isFile(path.join(manifestDir, icons[key])))) {
        errors.push({ file: manifestPath, message: `icons.${key}: file ${icons[key]} not found` });
      }
    }

    // Localization files are validated against their own (bundled) schema.
    const localization = manifest?.localizationInfo ?? {};
    const languageFiles = [];
    if (typeof localization.defaultLanguageFile === "string") {
      languageFiles.push(localization.defaultLanguageFile);
    }
    for (const language of Array.isArray(localization.additionalLanguages)
      ? localization.additionalLanguages
      : []) {
      if (typeof language?.file === "string") {
        languageFiles.push(language.file);
      }
    }
    for (const relative of languageFiles) {
      const languagePath = path.join(manifestDir, relative);
      let document;
      try {
        document = await readJson(languagePath);
      } catch (error) {
        errors.push({ file: languagePath, message: `cannot read localization file: ${error.message}` });
        continue;
      }
      errors.push(...(await validateDocument(AppManifestUtils, packageDir, languagePath, document)));
    }
  } catch (error) {
    emit(
      {
        valid: false,
        manifest: manifestPath,
        errors: [...errors, { file: manifestPath, message: `validator failed: ${error.message}` }],
      },
      2,
    );
  }

  emit(
    {
      valid: errors.length === 0,
      manifest: manifestPath,
      schema: manifest?.$schema ?? null,
      errors,
    },
    errors.length === 0 ? 0 : 1,
  );
}

await main();
