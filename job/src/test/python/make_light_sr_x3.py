"""Makes models/light_sr_x3.pth: the official light-SR structure at scale 3, for the job's Set5 x3 test.

Takes the official light_sr_x4 fixture checkpoint (shared/fixtures/official/light_sr_x4/model.pth, a
tiny randomly initialised official MambaIR) and replaces only the pixelshuffledirect head
(upsample.0: Conv2d(embed, 3*scale^2, 3)) with a seeded random one for scale 3, saved the way the
official training code saves ({'params': state_dict}, torch zip format).
Usage: /usr/bin/python3 make_light_sr_x3.py SHARED_DIR OUT.pth
"""
import sys
import torch

src, out = sys.argv[1] + "/fixtures/official/light_sr_x4/model.pth", sys.argv[2]
sd = torch.load(src, map_location="cpu")["params"]
w = sd["upsample.0.weight"]
embed = w.shape[1]
g = torch.Generator().manual_seed(3)
sd["upsample.0.weight"] = torch.randn(3 * 9, embed, 3, 3, generator=g) * 0.12 / (embed * 9) ** 0.5
sd["upsample.0.bias"] = torch.zeros(3 * 9)
torch.save({"params": sd}, out)
