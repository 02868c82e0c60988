"""Vocabulary of the rules backend: synonyms, attribute aliases, negation and context words.

Everything here is general retail vocabulary (what "navy" or "elastane" means), keyed by folded value or
attribute names, so it applies to any category whose attributes use those words. A synonym is used only
for a value that is in the attribute's own list, and never when the synonym is itself another listed
value (a list with both "Navy" and "Blue" keeps them apart).
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "ATTRIBUTE_ALIASES",
    "ATTRIBUTE_CUES",
    "COMMON_WORDS",
    "COMPONENT_NOUNS",
    "ELSEWHERE_PHRASES",
    "IMITATION_AFTER",
    "IMITATION_BEFORE",
    "MATERIAL_ATTRIBUTE_WORDS",
    "NEGATION_AFTER",
    "NEGATION_BEFORE",
    "NEVER_INFERRED",
    "SCOPED_SYNONYMS",
    "SHORT_CODES",
    "VALUE_SYNONYMS",
]

_COLOURS: dict[str, tuple[str, ...]] = {
    "blue": ("navy", "navy blue", "cobalt", "royal blue", "sky blue", "light blue", "dark blue", "baby blue"),
    "navy": ("navy blue", "dark navy", "midnight navy"),
    "red": ("crimson", "scarlet", "cherry red", "brick red", "wine red"),
    "black": ("jet black", "onyx"),
    "white": ("off white", "snow white", "optic white"),
    "grey": ("gray", "charcoal", "heather grey", "heather gray", "slate grey", "graphite", "ash grey"),
    "gray": ("grey", "charcoal", "heather grey", "heather gray", "graphite"),
    "green": ("olive", "sage", "forest green", "emerald green", "mint green", "khaki green"),
    "pink": ("blush", "hot pink", "fuchsia", "baby pink", "dusty pink"),
    "purple": ("violet", "lavender", "lilac"),
    "brown": ("chocolate", "coffee", "camel"),
    "beige": ("khaki", "oatmeal", "sand"),
    "yellow": ("mustard", "lemon yellow"),
    "clear": ("transparent", "crystal clear"),
    "multicolor": (
        "multicolour",
        "multi color",
        "multi colour",
        "multi colored",
        "rainbow",
        "assorted color",
    ),
    "gold": ("golden",),
}

_MATERIALS: dict[str, tuple[str, ...]] = {
    "cotton": ("cotton blend",),
    "spandex": ("elastane", "lycra"),
    "viscose": ("rayon",),
    "wool": ("merino", "lambswool"),
    "linen": ("flax",),
    "tencel lyocell": ("tencel", "lyocell"),
    "bamboo viscose": ("bamboo rayon", "viscose from bamboo", "rayon from bamboo"),
    "microfiber": ("microfibre",),
    "egyptian cotton": ("giza cotton",),
    "leather": ("genuine leather", "full grain leather", "top grain leather", "cowhide"),
    "pu leather": (
        "faux leather",
        "vegan leather",
        "synthetic leather",
        "polyurethane leather",
        "leatherette",
        "pu",
    ),
    "tpu": ("thermoplastic polyurethane",),
    "polycarbonate": ("pc",),
    "aramid fiber": ("aramid", "aramid fibre", "kevlar"),
    "wood": ("wooden",),
    "stainless steel": ("stainless",),
    "aluminum": ("aluminium",),
    "tritan plastic": ("tritan",),
    "glass": ("borosilicate",),
    "metal": ("stainless steel", "steel", "iron", "brass", "alloy", "aluminum", "aluminium"),
    "biothane": ("coated webbing",),
}

_STYLES: dict[str, tuple[str, ...]] = {
    # Patterns
    "solid": ("solid color", "solid colour", "solid colored", "solid coloured"),
    "striped": ("stripe", "pinstripe", "pinstriped"),
    "floral": ("flower", "flowered", "florals"),
    "graphic": ("graphic print",),
    "letter": ("letter print", "slogan", "lettering", "text print"),
    "plaid": ("tartan", "gingham", "buffalo check", "checked"),
    "animal print": (
        "leopard",
        "leopard print",
        "zebra print",
        "snake print",
        "snakeskin",
        "cheetah print",
        "tiger print",
        "cow print",
    ),
    "tie dye": ("tie dyed",),
    "camouflage": ("camo",),
    # Necklines and sleeves
    "crew neck": ("crewneck", "round neck", "round neckline", "crew neckline"),
    "v neck": ("vneck", "v neckline"),
    "scoop neck": ("scoop neckline", "scoopneck"),
    "mock neck": ("mock turtleneck", "mockneck", "funnel neck"),
    "boat neck": ("bateau", "boat neckline", "boatneck", "slash neck"),
    "short sleeve": ("short sleeved", "short puff sleeve"),
    "long sleeve": ("long sleeved",),
    "3/4 sleeve": ("three quarter sleeve", "3/4 length sleeve", "elbow length sleeve"),
    # Cosmetics
    "glossy": ("high shine", "shiny", "glossy finish"),
    "cream": ("creamy", "cream finish"),
    "sheer": ("sheer tint",),
    "metallic": ("chrome", "foil"),
    "shimmer": ("shimmery",),
    "stick": ("bullet",),
    "balm": ("lip balm",),
    "gloss": ("lip gloss",),
    # Cases and closures
    "flip folio": ("flip", "folio", "flip case", "flip cover", "book case"),
    "wallet": ("wallet case", "card wallet"),
    "rugged": ("heavy duty", "armor", "armour"),
    "slim": ("thin", "ultra thin", "slim fit"),
    "battery case": ("battery pack case", "charging case"),
    "quick release": (
        "side release",
        "quick release buckle",
        "side release buckle",
        "snap buckle",
        "quick release clip",
    ),
    "buckle": ("pin buckle", "tongue buckle", "belt buckle"),
    "slip": ("slip lead", "slip collar"),
    "martingale": ("limited slip",),
    # Sizes and animals
    "extra small": ("x small", "xs"),
    "extra large": ("x large", "xl"),
    "dog": ("canine",),
    "cat": ("kitten",),
    # Textiles
    "sateen": ("sateen weave",),
    "jersey": ("jersey knit",),
    # Drinkware
    "double wall vacuum": (
        "vacuum insulated",
        "vacuum insulation",
        "double walled vacuum",
        "double wall insulated",
        "double wall insulation",
    ),
    "single wall": ("single walled", "single layer"),
    # Jewellery
    "rose gold": ("pink gold",),
}

VALUE_SYNONYMS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {**_COLOURS, **_MATERIALS, **_STYLES}
)

# Synonyms that depend on the attribute: "not insulated" means Insulation "None", nothing elsewhere.
SCOPED_SYNONYMS: MappingProxyType[tuple[str, str], tuple[str, ...]] = MappingProxyType(
    {
        ("insulation", "none"): ("not insulated", "non insulated", "uninsulated", "no insulation"),
    }
)

# Short codes read only as a whole value (a variant option "M", an attribute "XL"), never in free text.
SHORT_CODES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "extra small": ("xs",),
        "small": ("s", "sm"),
        "medium": ("m", "md", "med"),
        "large": ("l", "lg"),
        "extra large": ("xl",),
        "yes": ("y", "true", "1"),
        "no": ("n", "false", "0"),
    }
)

# Values that say nothing about the product by themselves; proposed only through a scoped synonym.
NEVER_INFERRED = frozenset({"other", "others", "none", "unknown", "mixed", "not applicable", "n/a"})

# Other names a seller's own attribute keys, variant option names and spec lines use for an attribute.
ATTRIBUTE_ALIASES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "material": ("fabric", "fabric content", "composition", "shell", "outer material", "main material"),
        "color": ("colour", "main color", "main colour"),
        "pattern": ("print", "pattern type"),
        "neckline": ("neck", "neck style", "neckline style"),
        "sleeve length": ("sleeve", "sleeve type"),
        "formulation": ("formula", "form", "format"),
        "net content": ("net weight", "net wt", "net contents", "net volume", "net content"),
        "shelf life": ("expiry", "shelf life month"),
        "compatible phone model": ("model", "compatible model", "phone model", "compatibility", "device"),
        "case type": ("case style",),
        "pet size": ("size", "dog size"),
        "closure type": ("closure", "fastening", "clasp"),
        "applicable pet": ("pet", "pet type", "animal"),
        "thread count": ("tc",),
        "weave": ("weave type",),
        "capacity": ("volume",),
        "metal purity": ("karat", "purity", "gold purity", "fineness"),
        "metal color": ("metal", "metal colour", "gold color", "gold colour", "metal type"),
    }
)

# Words that, near a mention, show that the text is talking about this attribute.
ATTRIBUTE_CUES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "material": frozenset({"material", "fabric", "made", "crafted", "composition", "%"}),
        "pattern": frozenset(
            {"pattern", "print", "design", "color", "colour", "white", "black", "grey", "navy", "ivory"}
        ),
        "neckline": frozenset({"neck", "neckline"}),
        "sleeve length": frozenset({"sleeve"}),
        "finish": frozenset({"finish"}),
        "formulation": frozenset({"formula", "format", "formulation"}),
        "case type": frozenset({"case", "cover"}),
        "pet size": frozenset({"dog", "breed", "size", "cat", "puppy", "pet"}),
        "closure type": frozenset({"closure", "fasten", "clip", "clasp"}),
        "weave": frozenset({"weave", "woven", "knit"}),
        "capacity": frozenset({"capacity", "hold", "volume"}),
        "insulation": frozenset({"insulation", "insulated", "wall"}),
        "net content": frozenset({"net", "wt", "weight", "content"}),
        "shelf life": frozenset({"shelf", "expiry", "within"}),
        "metal purity": frozenset({"gold", "karat"}),
        "metal color": frozenset({"gold"}),
    }
)

# Ordinary words that are attribute values only in context ("small batches", "clear instructions").
COMMON_WORDS = frozenset(
    {
        *("small", "medium", "large", "extra", "solid", "regular", "slim", "clear", "cream", "liquid"),
        *("stick", "letter", "metal", "plain", "printed", "flat", "full", "twin", "king", "queen"),
        *("single", "double", "cap", "stand", "ring", "band", "slip", "loose", "cropped", "sheer", "light"),
        *("dark", "natural", "classic", "standard", "basic", "soft", "hard", "thin", "fit", "chain"),
        *("wallet", "spring", "summer", "winter", "fall", "autumn", "yes", "no"),
    }
)

NEGATION_BEFORE = frozenset({"not", "no", "non", "without", "never", "nor", "zero", "isn", "free"})
NEGATION_AFTER = frozenset({"free"})
# "faux leather", "leather-look", "wood effect": looks like the material, is not made of it.
IMITATION_BEFORE = frozenset({"faux", "imitation", "fake", "artificial", "vegan", "synthetic", "mock"})
IMITATION_AFTER = frozenset({"look", "effect", "like", "tone", "style", "print", "printed", "pattern"})
# A material named before one of these describes a part ("metal buckle", "silicone sleeve").
COMPONENT_NOUNS = frozenset(
    {
        *("buckle", "ring", "d", "clasp", "hardware", "zipper", "button", "snap", "lining", "lined"),
        *("trim", "padding", "padded", "stopper", "sleeve", "lid", "cap", "straw", "base", "plate", "bell"),
        *("tag", "stitching", "lens", "handle", "loop", "rivet", "bead", "charm", "label", "coating"),
        *("insert", "magnet", "strap", "spout", "gasket"),
    }
)
# Attribute names whose values are materials: the imitation and component rules apply to them.
MATERIAL_ATTRIBUTE_WORDS = frozenset({"material", "fabric", "composition", "metal"})
# A sentence with one of these talks about other products ("also available in yellow gold").
ELSEWHERE_PHRASES = (
    ("also", "available"),
    ("sold", "separately"),
    ("pair", "well", "with"),
    ("not", "included"),
    ("available", "separately"),
)
