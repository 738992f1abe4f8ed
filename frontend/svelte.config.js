/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: {
    // Every component in this app uses Svelte 5 runes; this makes a stray legacy component an error.
    runes: true,
  },
};
