"""The demo shop's TikTok categories and their required attributes.

Juniper & Pine, the demo seller, sells basics and home goods in seven TikTok leaf categories. Each
category names the product attributes TikTok requires there, the values TikTok allows, and the
SFCC custom attribute the seller keeps each one in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttributeSpec:
    """A required TikTok product attribute and where the SFCC catalog keeps it."""

    tiktok_id: str
    name: str
    sfcc_field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    """A TikTok leaf category and how the demo fills it."""

    tiktok_id: str
    name: str
    path: tuple[str, ...]
    sfcc_category_id: str
    required: tuple[AttributeSpec, ...]
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    price_cents: tuple[int, int]
    weight_lb: tuple[float, float]
    size_in: tuple[int, int, int]


MATERIAL_TEE = AttributeSpec(
    "100392", "Material", "c_material", ("Cotton", "Organic Cotton", "Linen", "Polyester")
)
NECKLINE = AttributeSpec("100198", "Neckline", "c_neckline", ("Crew Neck", "V-Neck", "Henley"))
MATERIAL_MUG = AttributeSpec("100393", "Material", "c_material", ("Ceramic", "Stoneware", "Enamel", "Glass"))
CAPACITY = AttributeSpec("101127", "Capacity", "c_capacity", ("8 oz", "12 oz", "16 oz", "20 oz"))
MATERIAL_MAT = AttributeSpec("100394", "Material", "c_material", ("TPE", "Natural Rubber", "Cork", "PVC"))
THICKNESS = AttributeSpec("101340", "Thickness", "c_thickness", ("4 mm", "6 mm", "8 mm"))
PHONE_MODEL = AttributeSpec(
    "100750",
    "Compatible Phone Models",
    "c_compatiblePhoneModels",
    ("iPhone 15", "iPhone 14", "Galaxy S24", "Pixel 8"),
)
MATERIAL_CASE = AttributeSpec("100395", "Material", "c_material", ("Silicone", "TPU", "Leather"))
SCENT = AttributeSpec("101552", "Scent", "c_scent", ("Lavender", "Vanilla", "Sandalwood", "Citrus", "Pine"))
WAX = AttributeSpec("101553", "Wax Type", "c_waxType", ("Soy", "Coconut", "Beeswax"))
MATERIAL_BAG = AttributeSpec(
    "100396", "Material", "c_material", ("Nylon", "Canvas", "Leather", "Recycled Polyester")
)
CLOSURE = AttributeSpec("100412", "Closure Type", "c_closureType", ("Zipper", "Drawstring", "Buckle"))
SKIN_TYPE = AttributeSpec(
    "101801", "Skin Type", "c_skinType", ("All Skin Types", "Dry", "Oily", "Combination")
)
VOLUME = AttributeSpec("101802", "Volume", "c_volume", ("30 ml", "50 ml"))

TEES = Category(
    "601152",
    "T-shirts",
    ("Menswear & Underwear", "Men's Tops"),
    "mens-tops",
    (MATERIAL_TEE, NECKLINE),
    ("Tee",),
    ("Everyday", "Heavyweight", "Garment-Dyed", "Vintage Wash", "Trail", "Weekend"),
    (1800, 3400),
    (0.3, 0.5),
    (10, 8, 1),
)
MUGS = Category(
    "601312",
    "Mugs",
    ("Home Supplies", "Kitchenware", "Drinkware"),
    "drinkware",
    (MATERIAL_MUG, CAPACITY),
    ("Mug", "Camp Mug", "Tumbler", "Cup"),
    ("Speckled", "Juniper", "Diner", "Matte", "Two-Tone", "Handmade", "Morning"),
    (1400, 3200),
    (0.8, 1.4),
    (6, 5, 5),
)
YOGA_MATS = Category(
    "602510",
    "Yoga Mats",
    ("Sports & Outdoor", "Fitness"),
    "fitness",
    (MATERIAL_MAT, THICKNESS),
    ("Yoga Mat", "Travel Mat", "Studio Mat"),
    ("Grip", "Balance", "Flow", "Lightweight", "Everyday", "Alignment"),
    (2800, 8900),
    (2.0, 5.5),
    (26, 6, 6),
)
PHONE_CASES = Category(
    "848648",
    "Phone Cases",
    ("Phones & Electronics", "Phone Accessories"),
    "phone-accessories",
    (PHONE_MODEL, MATERIAL_CASE),
    ("Phone Case", "Slim Case", "Wallet Case"),
    ("Clear", "Pine Green", "Sand", "Charcoal", "Terracotta", "Fog"),
    (1500, 3900),
    (0.1, 0.3),
    (7, 4, 1),
)
CANDLES = Category(
    "604578",
    "Scented Candles",
    ("Home Supplies", "Home Decor", "Candles"),
    "home-fragrance",
    (SCENT, WAX),
    ("Candle", "Tin Candle", "Jar Candle"),
    ("Cabin", "Evening", "Garden", "Harbor", "Fireside", "Meadow"),
    (1600, 4200),
    (0.6, 1.8),
    (4, 4, 5),
)
BACKPACKS = Category(
    "902152",
    "Backpacks",
    ("Luggage & Bags", "Backpacks"),
    "bags",
    (MATERIAL_BAG, CLOSURE),
    ("Backpack", "Daypack", "Rolltop Pack"),
    ("Commuter", "Trail", "Weekender", "Compact", "Urban", "Field"),
    (4900, 12900),
    (1.2, 3.0),
    (18, 12, 6),
)
SERUMS = Category(
    "700645",
    "Face Serums",
    ("Beauty & Personal Care", "Skincare"),
    "skincare",
    (SKIN_TYPE, VOLUME),
    ("Face Serum", "Night Serum", "Vitamin C Serum"),
    ("Hydrating", "Brightening", "Calming", "Renewing", "Daily", "Botanical"),
    (1900, 5400),
    (0.2, 0.4),
    (5, 2, 2),
)

CATEGORIES: tuple[Category, ...] = (TEES, MUGS, YOGA_MATS, PHONE_CASES, CANDLES, BACKPACKS, SERUMS)
