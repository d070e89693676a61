"""The simulated 住基ネット CS (issue 13 §3): a synthetic national register and a CS that answers from it
through kouki.jukinet.cs.ResidentNetworkCS, as a real connection would."""
