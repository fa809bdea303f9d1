"""Texts of the lesson mode: each step's title and text, its question, and the measured answer
(lesson.q.<question>, lesson.a.<question>; the numbers come from the model in play)."""

TEXTS = {
    "nav.lesson": ("Lesson", "课程"),
    "lesson.title": ("Lesson: the gallery with one wall", "课程：只有一面墙的画廊"),
    "lesson.intro": (
        "A guided path through the article. Predict first, then see what the model in play "
        "says.",
        "跟着文章一步步走。先预测，再看当前模型怎么说。"),
    "lesson.progress": ("Step {i} of {n} · {title}", "第 {i} 步，共 {n} 步 · {title}"),
    "lesson.back": ("Back", "上一步"),
    "lesson.next": ("Next", "下一步"),
    "lesson.waiting": (
        "Predict first: the answer and the figure appear once the class has chosen.",
        "先预测：全班选定之后，才会显示答案和图。"),
    "lesson.said": ("Our prediction: **{choice}**", "我们的预测：**{choice}**"),
    "lesson.again": ("Ask again", "重新提问"),
    "lesson.right": ("Right: **{answer}**.", "答对了：**{answer}**。"),
    "lesson.wrong": ("Not quite: we said {said}, the model in play says **{answer}**.",
                     "不太对：我们选了 {said}，当前模型给出的是 **{answer}**。"),
    "lesson.choice.yes": ("yes", "是"),
    "lesson.choice.no": ("no", "否"),
    "lesson.choice.more": ("more even", "更均匀"),
    "lesson.choice.same": ("about the same", "差不多"),
    "lesson.choice.less": ("less even", "更不均匀"),
    "lesson.end": (
        "That is the whole lesson. Every page of the dashboard goes deeper into one of its "
        "steps: pick it in the menu.",
        "整堂课到此结束。仪表盘的每个页面都深入讲其中一步：在菜单里选它。"),

    # -- 1. the story
    "lesson.story.title": ("The story", "故事"),
    "lesson.story.text": (
        "A gallery has one empty wall. **N.Coder** pins a small mark on the wall for each "
        "painting and throws the painting away. **D.Coder** never sees a painting: he repaints "
        "it from the position of its mark alone. Below, one test digit makes the trip with the "
        "model in play.",
        "画廊只有一面空墙。**N.Coder** 为每幅画在墙上钉一个小标记，然后把画扔掉。"
        "**D.Coder** 从来看不到原画：他只凭标记的位置把画重新画出来。"
        "下面，一个测试数字跟着当前模型走一遍。"),

    # -- 2. the two networks
    "lesson.networks.title": ("The two networks", "两个网络"),
    "lesson.networks.text": (
        "N.Coder is the **encoder**: convolutions shrink the 28 × 28 picture to a code. "
        "D.Coder is the **decoder**: it grows the code back into a picture.",
        "N.Coder 是**编码器**：卷积把 28 × 28 的图缩成一个编码。"
        "D.Coder 是**解码器**：把编码重新长成一张图。"),
    "lesson.q.code_size": ("How many numbers does N.Coder write down for one painting?",
                           "N.Coder 为一幅画记下几个数？"),
    "lesson.a.code_size": (
        "**{z}**: the code in the middle of the model in play has {z} numbers. 784 pixels go "
        "in, {z} numbers pass through the middle, 784 pixels come out.",
        "**{z}** 个：当前模型中间的编码有 {z} 个数。784 个像素进去，{z} 个数从中间通过，"
        "784 个像素出来。"),

    # -- 3. training
    "lesson.training.title": ("Training", "训练"),
    "lesson.training.text": (
        "Every bad copy costs a refund: the **loss**, the mean squared error of each picture. "
        "Training nudges both networks, batch after batch, so that refunds fall.",
        "每张糟糕的复制品都要退款：这就是**损失**，即每张图的均方误差。"
        "训练一批又一批地微调两个网络，让退款越来越少。"),
    "lesson.q.loss_fall": (
        "How many times lower is the loss at the end of training than after the first epoch?",
        "训练结束时的损失比第一轮之后低多少倍？"),
    "lesson.a.loss_fall": (
        "The loss went from **{first:.4f}** to **{last:.4f}**: **{ratio:.1f} ×** lower.",
        "损失从 **{first:.4f}** 降到 **{last:.4f}**：低了 **{ratio:.1f} 倍**。"),
    "lesson.training.none": (
        "The model in play has no training history (it was never trained here): there is "
        "nothing to predict. Pick a trained model in the sidebar, or train one on the "
        "Training page.",
        "当前模型没有训练记录（它没在这里训练过）：没有可预测的。"
        "在侧边栏选一个训练过的模型，或者在“训练”页训练一个。"),

    # -- 4. reconstructions
    "lesson.reconstructions.title": ("Reconstructions", "重建"),
    "lesson.reconstructions.text": (
        "How good are D.Coder's copies? Every test digit goes through both networks; its "
        "error says how far the copy is from the original.",
        "D.Coder 的复制品有多好？每个测试数字都经过两个网络；误差说明复制品离原图有多远。"),
    "lesson.q.worst_digit": ("Which digit will D.Coder copy worst, on average?",
                             "平均来说，D.Coder 哪个数字复制得最差？"),
    "lesson.a.worst_digit": (
        "Digit **{digit}**: mean error **{mse:.4f}**. Digit {best} is copied best "
        "({best_mse:.4f}).",
        "数字 **{digit}**：平均误差 **{mse:.4f}**。数字 {best} 复制得最好（{best_mse:.4f}）。"),

    # -- 5. the wall
    "lesson.wall.title": ("The wall", "这面墙"),
    "lesson.wall.text": (
        "Every test digit, pinned: each dot is one mark, coloured by the digit it came from. "
        "Digits that look alike should sit together.",
        "所有测试数字都钉上墙：每个点是一个标记，颜色表示它来自哪个数字。"
        "看起来相像的数字应该挨在一起。"),
    "lesson.q.neighbours": (
        "Take any mark. How often is the mark nearest to it the same digit?",
        "任取一个标记。离它最近的标记有多大比例是同一个数字？"),
    "lesson.a.neighbours": (
        "For **{share:.0%}** of the marks, the nearest mark shows the same digit.",
        "对 **{share:.0%}** 的标记来说，离它最近的标记是同一个数字。"),

    # -- 6. uneven areas
    "lesson.areas.title": ("Defect 1: uneven areas", "缺陷一：面积不均"),
    "lesson.areas.text": (
        "Cut the wall into small squares and give each square to the digit with most marks "
        "in it. To sample from the wall, every digit should get a fair share.",
        "把墙切成小方格，每个方格归标记最多的那个数字。"
        "要从墙上取样，每个数字都该分到公平的一份。"),
    "lesson.q.largest_area": ("Which digit will own the largest part of the wall?",
                              "哪个数字会占据墙上最大的一块？"),
    "lesson.a.largest_area": (
        "Digit **{digit}** owns **{share:.0%}** of the occupied wall; digit {small} only "
        "{small_share:.0%}. Random points will paint digit {digit} far more often.",
        "数字 **{digit}** 占了有标记区域的 **{share:.0%}**；数字 {small} 只有 "
        "{small_share:.0%}。随机点画出数字 {digit} 的机会要多得多。"),

    # -- 7. not centred, not bounded
    "lesson.symmetry.title": ("Defect 2: not centred, not bounded", "缺陷二：不居中、无边界"),
    "lesson.symmetry.text": (
        "Nothing in training tells N.Coder where on the wall to pin: the marks may sit "
        "anywhere and stretch as far as they like.",
        "训练中没有任何东西告诉 N.Coder 该钉在墙上哪里：标记可以在任何地方，想伸多远就伸多远。"),
    "lesson.q.centred": ("Is the wall centred on (0, 0)?", "这面墙以 (0, 0) 为中心吗？"),
    "lesson.a.centred": (
        "The marks' centre sits **{offset:.2f}** spreads from (0, 0) along its farther axis "
        "(we call it centred under {limit:g}).",
        "标记的中心在偏得更远的那个轴上离 (0, 0) **{offset:.2f}** 个标准差"
        "（小于 {limit:g} 才算居中）。"),

    # -- 8. gaps
    "lesson.gaps.title": ("Defect 3: gaps", "缺陷三：空隙"),
    "lesson.gaps.text": (
        "Between the digits lie stretches of wall where no mark was ever pinned. D.Coder "
        "never practised painting there.",
        "数字之间有大片墙从来没钉过标记。D.Coder 从没练过在那里作画。"),
    "lesson.q.gaps": ("What share of random points of the wall will fall in a gap?",
                      "墙上的随机点有多大比例会落在空隙里？"),
    "lesson.a.gaps": (
        "**{share:.0%}** of random points fall in a gap: farther than three typical spacings "
        "from every mark.",
        "**{share:.0%}** 的随机点落在空隙里：离每个标记都超过三个典型间距。"),

    # -- 9. continuity
    "lesson.continuity.title": ("Continuity", "连续性"),
    "lesson.continuity.text": (
        "If (2, −2) paints a good digit, does a tiny step away paint a similar one? Nothing in "
        "an autoencoder's training asks for it.",
        "如果 (2, −2) 画出一个好数字，挪一小步还能画出相似的吗？自编码器的训练并没有这样要求。"),
    "lesson.q.alike": ("Do (2, −2) and (2.1, −2.1) paint alike?",
                       "(2, −2) 和 (2.1, −2.1) 画出来相像吗？"),
    "lesson.a.alike": (
        "**{changed:.1%}** of the pixels change by more than a quarter of black-to-white "
        "(mean squared difference {mse:.4f}); we call them alike under {limit:.0%}. Where "
        "they are alike, that is luck of this spot, not a promise of the model.",
        "**{changed:.1%}** 的像素变化超过黑到白的四分之一（均方差 {mse:.4f}）；"
        "小于 {limit:.0%} 才算相像。即使相像，也只是这个位置运气好，模型并不保证。"),

    # -- 10. generation
    "lesson.generation.title": ("Generation", "生成"),
    "lesson.generation.text": (
        "The book's experiment: {n} random points of the wall, and D.Coder paints each one. "
        "A digit classifier judges whether each picture is a readable digit.",
        "书中的实验：在墙上取 {n} 个随机点，让 D.Coder 逐个作画。"
        "一个数字分类器判断每张图是不是可读的数字。"),
    "lesson.q.readable": ("How many of the {n} random points will paint a readable digit?",
                          "{n} 个随机点中，有几个能画出可读的数字？"),
    "lesson.a.readable": (
        "**{k} of {n}**: the classifier reads them as one digit with 90% confidence or more.",
        "**{n} 个中有 {k} 个**：分类器以 90% 以上的把握把它们认作某个数字。"),
    "lesson.generation.more": ("Of {n} random points, the classifier reads {share:.0%}.",
                               "在 {n} 个随机点中，分类器能认出 {share:.0%}。"),
    "lesson.generation.none": (
        "No digit classifier for these pictures, so nothing to count: judge the {n} by eye.",
        "没有适用于这些图的数字分类器，所以无法计数：用眼睛判断这 {n} 张吧。"),

    # -- 11. the cure
    "lesson.cure.title": ("The cure: the variational autoencoder", "解药：变分自编码器"),
    "lesson.cure.text": (
        "The VAE pins a small fuzzy patch instead of a point, and pays a price when the "
        "patches stray from a round cloud around (0, 0).",
        "VAE 钉的不是一个点，而是一小块模糊的区域；这些区域一旦偏离 (0, 0) 周围的圆形云团，"
        "就要付出代价。"),
    "lesson.q.more_even": ("Will the VAE's wall be more even than the autoencoder's?",
                           "VAE 的墙会比自编码器的更均匀吗？"),
    "lesson.a.more_even": (
        "Largest digit's area over the smallest's: autoencoder **{ae:.1f} ×**, VAE "
        "**{vae:.1f} ×** (lower is more even; within 5% counts as the same).",
        "最大数字的面积除以最小数字的面积：自编码器 **{ae:.1f} 倍**，VAE **{vae:.1f} 倍**"
        "（越小越均匀；相差 5% 以内算差不多）。"),
    "lesson.cure.models": ("Compared: {ae} and {vae}.", "比较的是：{ae} 和 {vae}。"),
    "lesson.cure.none": (
        "No VAE is in reach for this data set, so there is nothing to measure here. The "
        "article's answer: a VAE's wall is centred on (0, 0), more even and has fewer gaps. "
        "Train one on the page **The cure: a VAE** and come back.",
        "这个数据集没有可用的 VAE，所以这里没有可测量的。文章的答案是：VAE 的墙以 (0, 0) "
        "为中心，更均匀，空隙更少。去“解药：变分自编码器”页训练一个，再回来看。"),
    "lesson.class_wall": ("Now the class draws: open a room on the class wall, and every "
                          "student's digit lands on this model's wall",
                          "现在轮到全班画：在“全班的墙”上打开一个房间，每位同学的数字都会落在"
                          "这个模型的墙上"),
}
