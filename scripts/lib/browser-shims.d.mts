// Types for ./browser-shims.mjs, imported by vite.config.ts.
export declare const browserAliases: Record<string, string>
export declare const browserDefines: Record<string, string>
export declare const browserInject: Record<string, string | [string, string]>
export declare const browserInjectFile: string
