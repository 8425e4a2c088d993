/** The presence-permission prompt window (filled in by the permission issue). */
const app = document.getElementById('app')
if (app) {
  const origin = new URLSearchParams(location.search).get('origin') ?? 'This site'
  const p = document.createElement('p')
  p.textContent = `${origin} asks to see your presence.`
  app.append(p)
}

export {}
