"""Generate a valid workspace of N creators spread over campaigns, for benchmarks.

    python benchmarks/generate.py OUT_DIR [--creators 1000] [--per-campaign 100]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "briefs" / "spring-glow"
REGIONS = [("US", "en-US"), ("GB", "en-GB"), ("DE", "de-DE"), ("FR", "fr-FR"), ("CA", "fr-CA"),
           ("AU", "en-AU"), ("ES", "es-ES"), ("IT", "it-IT"), ("NL", "nl-NL"), ("NO", "nb-NO")]

CREATOR = """\
handle: "@creator.{n}"
name: Creator {n}
email: creator{n}@example.com
region: {region}
locale: {locale}
platforms:
  instagram: {{handle: creator.{n}, followers: {followers}}}
  tiktok: {{followers: {tiktok}}}
deliverables:
  - ig-reel
  - {{id: ig-stories, count: {stories}}}
fee: {fee}
why_you: |
  Your *honest* routine videos are exactly the tone we want, creator {n}.
internal:
  rating: B
"""


def generate(out: Path, creators: int, per_campaign: int) -> Path:
    if out.exists():
        shutil.rmtree(out)
    (out / "briefs").mkdir(parents=True)
    shutil.copy(REPO / "briefkit.yaml", out / "briefkit.yaml")
    campaign_text = (EXAMPLE / "campaign.yaml").read_text()
    n = 0
    for c in range((creators + per_campaign - 1) // per_campaign):
        folder = out / "briefs" / f"campaign-{c:03d}"
        shutil.copytree(EXAMPLE / "assets", folder / "assets")
        count = min(per_campaign, creators - n)
        text = campaign_text.replace("id: spring-glow", f"id: campaign-{c:03d}")
        text = text.replace("budget: 2500", f"budget: {count * 1000}")
        (folder / "campaign.yaml").write_text(text)
        (folder / "creators").mkdir()
        for _ in range(count):
            region, locale = REGIONS[n % len(REGIONS)]
            (folder / "creators" / f"creator-{n:05d}.yaml").write_text(CREATOR.format(
                n=n, region=region, locale=locale, followers=5000 + n * 37, tiktok=900 + n,
                stories=1 + n % 4, fee=200 + n % 500))
            n += 1
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--creators", type=int, default=1000)
    parser.add_argument("--per-campaign", type=int, default=100)
    args = parser.parse_args()
    print(generate(args.out, args.creators, args.per_campaign))
