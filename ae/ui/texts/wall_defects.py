"""Texts of the latent-wall page's three defect panels: uneven areas, not symmetric or
bounded, gaps."""

TEXTS = {
    "wall.h.defects": ("Three defects, in numbers", "三个缺陷，用数字说话"),
    "wall.defects.intro": (
        "Look at the wall above as the book does: three things stand out, and each one makes "
        "it hard to pick a good spot for a new painting.",
        "像书中那样观察上面这面墙：有三件事很显眼，每一件都让我们很难为一幅新画找到好位置。"),
    "wall.defects.pick": ("Which defect", "哪个缺陷"),
    "wall.d1.tab": ("1 · Uneven areas", "1 · 面积不均"),
    "wall.d2.tab": ("2 · Not centred, not bounded", "2 · 不对称、无边界"),
    "wall.d3.tab": ("3 · Gaps", "3 · 空隙"),
    "wall.d1.ratio": ("area ratio", "面积之比"),
    "wall.d1.ratio.help": ("The biggest digit's share of the occupied wall over the smallest's "
                           "(a fine grid over the box; each cell goes to the digit most of its "
                           "marks belong to).",
                           "最大数字所占墙面份额与最小数字份额之比（在方框上铺一张细网格，"
                           "每格归属于格内标记最多的数字）。"),
    "wall.d1.big": ("largest: digit {d}", "最大：数字 {d}"),
    "wall.d1.small": ("smallest: digit {d}", "最小：数字 {d}"),
    "wall.d1.text": (
        "Some digits spread over a wide stretch of the wall while others are squeezed into a "
        "corner: digit {big} owns {ratio:.1f} times the wall of digit {small}. Pick points at "
        "random and you mostly get the big ones: {big} wins {big_s:.0%} of random points, "
        "{small} only {small_s:.0%}, though each digit is about a tenth of the test images.",
        "有的数字占了墙上一大片，有的却挤在角落里："
        "数字 {big} 占的墙面是数字 {small} 的 {ratio:.1f} 倍。"
        "随机取点，得到的多半是面积大的数字：{big} 得到 {big_s:.0%} 的随机点，"
        "{small} 只有 {small_s:.0%}，"
        "而测试图像里每个数字大约都占十分之一。"),
    "wall.d1.col.digit": ("digit", "数字"),
    "wall.d1.col.cell": ("share of the wall", "墙面份额"),
    "wall.d1.col.sample": ("share of random points", "随机点份额"),
    "wall.d1.col.data": ("share of test images", "测试图像份额"),
    "wall.d2.centroid": ("centroid", "质心"),
    "wall.d2.offset": ("off-centre", "偏离中心"),
    "wall.d2.offset.value": ("{v:.1f} spreads", "{v:.1f} 个标准差"),
    "wall.d2.offset.help": ("How far the centroid is from (0, 0), in standard deviations of the "
                            "marks (the larger of the two axes).",
                            "质心离 (0, 0) 有多远，以标记的标准差为单位（取两个轴中较大的一个）。"),
    "wall.d2.far": ("stragglers", "离群标记"),
    "wall.d2.far.help": ("Share of marks farther than 3 spreads from the centroid.",
                         "离质心超过 3 个标准差的标记所占的比例。"),
    "wall.d2.side": ("one side", "单侧占比"),
    "wall.d2.side.help": ("The most lopsided split of the marks by an axis through (0, 0).",
                          "用通过 (0, 0) 的坐标轴把标记分成两半时，最不平衡的那一侧所占比例。"),
    "wall.d2.text": (
        "The marks are not spread evenly around (0, 0): their centre sits at {c}, and "
        "{side:.0%} of them lie on the {side_name} side. Nothing bounds the wall either: x runs "
        "from {xmin} to {xmax} and y from {ymin} to {ymax}, with {far:.1%} of "
        "the marks far out, so there is no natural region to draw new points from.",
        "标记并没有均匀地分布在 (0, 0) 周围：它们的中心在 {c}，"
        "并且 {side:.0%} 的标记位于 {side_name} 一侧。"
        "这面墙也没有边界：x 从 {xmin} 到 {xmax}，y 从 {ymin} 到 {ymax}，"
        "还有 {far:.1%} 的标记远远落在外面。所以没有一个天然的区域可以用来取新的点。"),
    "wall.d3.share": ("random points in a gap", "落在空隙中的随机点"),
    "wall.d3.radius": ("gap radius", "空隙半径"),
    "wall.d3.radius.help": ("A random point is in a gap when no mark lies within this distance.",
                            "如果在这个距离内没有任何标记，这个随机点就算落在空隙中。"),
    "wall.d3.spacing": ("usual spacing", "通常间距"),
    "wall.d3.spacing.help": ("Typical distance from a mark to its nearest neighbour.",
                             "一个标记到离它最近的标记的典型距离。"),
    "wall.d3.text": (
        "Between the colours lie empty stretches where no painting was ever pinned: {gap:.0%} "
        "of uniform random points land farther than {radius} from every mark, while "
        "neighbouring marks are usually only {spacing} apart. D.Coder never practised "
        "there, so what he paints in a gap is a guess.",
        "颜色之间有大片空白，那里从没钉过任何画："
        "{gap:.0%} 的均匀随机点离每个标记都超过 {radius}，"
        "而相邻标记之间通常只隔 {spacing}。"
        "D.Coder 从没在那里练习过，所以他在空隙里画的只是猜测。"),
    "wall.defect.error": ("This defect could not be measured for this model: {msg}",
                          "无法为这个模型测量这个缺陷：{msg}"),
    "wall.side.x<0": ("left (x < 0)", "左（x < 0）"),
    "wall.side.x>0": ("right (x > 0)", "右（x > 0）"),
    "wall.side.y<0": ("lower (y < 0)", "下（y < 0）"),
    "wall.side.y>0": ("upper (y > 0)", "上（y > 0）"),
    # -- the book's 30 random points ----------------------------------------------------------
}
