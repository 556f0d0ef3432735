// The `stopword` package ships no type declarations; these are the lists this project imports.
declare module "stopword" {
  export const eng: string[];
  export const deu: string[];
  export const fra: string[];
  export const spa: string[];
  export const ita: string[];
  export const nld: string[];
  export const por: string[];
  export const ces: string[];
  export const pol: string[];
  export const swe: string[];
  export const dan: string[];
  export const nob: string[];
  export const fin: string[];
  export const rus: string[];
  export const jpn: string[];
  export const zho: string[];
}
