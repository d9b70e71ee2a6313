/** The published package's npm-style id (`package/package.json`); its canonical URLs are in `domain/vocabulary.ts`. */
export const PACKAGE_NAME = 'org.care-episodes.fhir';
export const PACKAGE_VERSION = '0.1.0';
